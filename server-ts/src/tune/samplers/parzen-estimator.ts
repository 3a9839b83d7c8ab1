/**
 * Optuna's Parzen estimator (`parzen_estimator.py`, `probability_distributions.py`, Optuna 5):
 * a mixture over the observations (plus a prior kernel) of products of one kernel per parameter:
 * a truncated normal for numbers (in log space for logUniform ranges; a step or an int integrates
 * it over the step's cell) and a smoothed one-hot for list entries. Bandwidths are the larger gap
 * to the neighbouring observations (the end gaps not taken at the ends: consider_endpoints=False),
 * clipped to [range / min(100, 1 + kernels), range] (the magic clip).
 */
import { isListSpace, lastOnGrid, type ParameterSpace } from '../types.js';
import type { Random } from './rng.js';
import { logGaussMass, truncnormDraw, truncnormLogPdf } from './truncnorm.js';

const PRIOR_WEIGHT = 1;

/** A parameter in the estimator's terms: a number, or an index into a list. */
type Dimension =
  | { kind: 'numeric'; min: number; max: number; step: number | null; log: boolean }
  | { kind: 'choice'; choices: number };

export function dimensionOf(p: ParameterSpace): Dimension {
  if (isListSpace(p)) return { kind: 'choice', choices: p.list.length };
  return { kind: 'numeric', min: p.min, max: lastOnGrid(p.min, p.max, p.step), step: p.step, log: p.log };
}

interface NumericKernels {
  kind: 'numeric';
  dimension: Dimension & { kind: 'numeric' };
  mus: number[];
  sigmas: number[];
  /** The bounds in the space kernels live in (log, widened by half a step). */
  low: number;
  high: number;
}
interface ChoiceKernels {
  kind: 'choice';
  /** Per kernel, the probability of each choice. */
  weights: number[][];
}

/** Optuna's `default_weights`: older observations ramp down once there are more than 25. */
export function observationWeights(n: number): number[] {
  if (n < 25) return Array.from({ length: n }, () => 1);
  const ramp = n - 25;
  return [
    ...Array.from({ length: ramp }, (_, i) => (ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1))),
    ...Array.from({ length: 25 }, () => 1)
  ];
}

export class ParzenEstimator {
  private readonly weights: number[];
  private readonly kernels: (NumericKernels | ChoiceKernels)[];

  /** `observations[i][d]`: observation i's value of dimension d (a number, or a list index). */
  constructor(observations: readonly (readonly number[])[], dimensions: readonly Dimension[]) {
    const n = observations.length;
    const raw = n === 0 ? [1] : [...observationWeights(n), PRIOR_WEIGHT];
    const total = raw.reduce((s, w) => s + w, 0);
    this.weights = raw.map(w => w / total);
    this.kernels = dimensions.map((dimension, d) => {
      const column = observations.map(o => o[d]);
      return dimension.kind === 'choice' ? choiceKernels(column, dimension.choices) : numericKernels(column, dimension);
    });
  }

  /** One draw: a kernel by weight, then each dimension from that kernel. */
  sample(random: Random): number[] {
    const k = random.choice(this.weights);
    return this.kernels.map(kernels => {
      if (kernels.kind === 'choice') return random.choice(kernels.weights[k]);
      const { dimension, low, high } = kernels;
      const drawn = truncnormDraw(random.next(), kernels.mus[k], kernels.sigmas[k], low, high);
      const value = dimension.log ? Math.exp(drawn) : drawn;
      if (dimension.step === null) return value;
      return Math.min(
        dimension.max,
        Math.max(dimension.min, dimension.min + Math.round((value - dimension.min) / dimension.step) * dimension.step)
      );
    });
  }

  logPdf(x: readonly number[]): number {
    const perKernel = this.weights.map((w, k) => {
      let sum = Math.log(w);
      this.kernels.forEach((kernels, d) => {
        sum += kernels.kind === 'choice' ? Math.log(kernels.weights[k][x[d]]) : numericLogPdf(kernels, k, x[d]);
      });
      return sum;
    });
    const max = Math.max(...perKernel);
    if (max === -Infinity) return -Infinity;
    return max + Math.log(perKernel.reduce((s, v) => s + Math.exp(v - max), 0));
  }
}

function numericLogPdf(kernels: NumericKernels, k: number, value: number): number {
  const { dimension, low, high } = kernels;
  const mu = kernels.mus[k];
  const sigma = kernels.sigmas[k];
  if (dimension.step === null) return truncnormLogPdf(dimension.log ? Math.log(value) : value, mu, sigma, low, high);
  const half = dimension.step / 2;
  const left = dimension.log ? Math.log(value - half) : value - half;
  const right = dimension.log ? Math.log(value + half) : value + half;
  return (
    logGaussMass((left - mu) / sigma, (right - mu) / sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma)
  );
}

function numericKernels(column: readonly number[], dimension: Dimension & { kind: 'numeric' }): NumericKernels {
  let low = dimension.min;
  let high = dimension.max;
  if (dimension.step !== null) {
    low -= dimension.step / 2;
    high += dimension.step / 2;
  }
  const mus = dimension.log ? column.map(Math.log) : [...column];
  if (dimension.log) {
    low = Math.log(low);
    high = Math.log(high);
  }
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sorted = [low, ...order.map(i => mus[i]), high];
  const sortedSigmas = order.map((_, j) => Math.max(sorted[j + 1] - sorted[j], sorted[j + 2] - sorted[j + 1]));
  if (sorted.length >= 4) {
    // consider_endpoints=False: an outermost observation's bandwidth ignores its gap to the bound.
    sortedSigmas[0] = sorted[2] - sorted[1];
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, j) => (sigmas[i] = sortedSigmas[j]));
  const range = high - low;
  const minSigma = range / Math.min(100, 1 + mus.length + 1);
  const clipped = sigmas.map(s => Math.min(range, Math.max(minSigma, s)));
  return { kind: 'numeric', dimension, mus: [...mus, 0.5 * (low + high)], sigmas: [...clipped, range], low, high };
}

function choiceKernels(column: readonly number[], choices: number): ChoiceKernels {
  if (column.length === 0) return { kind: 'choice', weights: [Array.from({ length: choices }, () => 1 / choices)] };
  const kernels = column.length + 1;
  const weights = Array.from({ length: kernels }, () => Array.from({ length: choices }, () => PRIOR_WEIGHT / kernels));
  column.forEach((index, i) => (weights[i][index] += 1));
  return { kind: 'choice', weights: weights.map(row => row.map(w => w / row.reduce((s, v) => s + v, 0))) };
}
