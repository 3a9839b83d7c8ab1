/**
 * Tree-structured Parzen Estimator, as Optuna 5's TPESampler with its defaults: random search for
 * the first n_startup_trials (10) completed trials; then the completed trials split into the best
 * gamma(n) = min(ceil(0.1 n), 25) and the rest, with running trials among the rest (constant
 * liar, so parallel trials spread out), a Parzen estimator over each, n_ei_candidates (24) draws
 * from the good one, and the draw with the highest log l(x) - log g(x) wins. `tpe` scores each
 * parameter on its own (Optuna's multivariate=False, Katib's `tpe`); `multivariate-tpe` scores
 * them jointly (Katib's `multivariate-tpe`, Optuna 5's default). Failed trials are left out.
 */
import {
  type Assignment,
  isListSpace,
  type ObjectiveType,
  type ParameterSpace,
  type Sampler,
  type TrialObservation
} from '../types.js';
import { ParzenEstimator, dimensionOf } from './parzen-estimator.js';
import { sampleUniformly } from './random.js';
import { type Random, suggestionStream } from './rng.js';

export interface TpeOptions {
  seed: number;
  objective: ObjectiveType;
  multivariate: boolean;
  nStartupTrials: number;
  nEiCandidates: number;
}

export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

export class TpeSampler implements Sampler {
  constructor(
    private readonly space: readonly ParameterSpace[],
    private readonly options: TpeOptions
  ) {}

  suggest(history: readonly TrialObservation[]): Assignment {
    const random = suggestionStream(this.options.seed, history.length);
    const completed = history.filter(t => t.state === 'completed' && t.value !== null && Number.isFinite(t.value));
    if (completed.length < this.options.nStartupTrials) return sampleUniformly(this.space, random);

    const sign = this.options.objective === 'minimize' ? 1 : -1;
    const ranked = [...completed].sort((a, b) => sign * ((a.value as number) - (b.value as number)));
    const below = new Set(ranked.slice(0, gamma(completed.length)));
    // Split, then back in trial order: the observation weights ramp by age.
    const good = history.filter(t => below.has(t));
    const bad = history.filter(
      t => (t.state === 'completed' && completed.includes(t) && !below.has(t)) || t.state === 'running'
    );

    const groups = this.options.multivariate ? [this.space.map((_, d) => d)] : this.space.map((_, d) => [d]);
    const internal: number[] = new Array(this.space.length);
    for (const group of groups) {
      const chosen = this.sampleGroup(group, good, bad, random);
      group.forEach((d, i) => (internal[d] = chosen[i]));
    }
    return Object.fromEntries(this.space.map((p, d) => [p.name, external(p, internal[d])]));
  }

  private sampleGroup(
    group: number[],
    good: readonly TrialObservation[],
    bad: readonly TrialObservation[],
    random: Random
  ): number[] {
    const params = group.map(d => this.space[d]);
    const dimensions = params.map(dimensionOf);
    const observe = (trials: readonly TrialObservation[]) =>
      trials.map(t => params.map(p => toInternal(p, t.assignment[p.name])));
    const l = new ParzenEstimator(observe(good), dimensions);
    const g = new ParzenEstimator(observe(bad), dimensions);
    let best: number[] = [];
    let bestScore = -Infinity;
    for (let i = 0; i < this.options.nEiCandidates; i++) {
      const candidate = l.sample(random);
      const score = l.logPdf(candidate) - g.logPdf(candidate);
      if (best.length === 0 || score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    return best;
  }
}

function toInternal(p: ParameterSpace, value: unknown): number {
  if (isListSpace(p)) return p.list.indexOf(value as never);
  return value as number;
}

function external(p: ParameterSpace, value: number): Assignment[string] {
  if (isListSpace(p)) return p.list[value];
  if (p.parameterType === 'int') return Math.round(value);
  return p.step === null ? value : Number(value.toPrecision(12));
}
