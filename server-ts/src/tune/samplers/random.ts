/**
 * Random search: each parameter drawn independently, as Optuna's RandomSampler does (a step or
 * an int is a uniform draw over [min - step/2, max + step/2] rounded to the grid; a logUniform
 * range is uniform in log space; a list entry is uniform).
 */
import {
  type Assignment,
  isListSpace,
  lastOnGrid,
  type NumericSpace,
  type ParameterSpace,
  type Sampler,
  type TrialObservation
} from '../types.js';
import { type Random, suggestionStream } from './rng.js';

export class RandomSampler implements Sampler {
  constructor(
    private readonly space: readonly ParameterSpace[],
    private readonly seed: number
  ) {}

  suggest(history: readonly TrialObservation[]): Assignment {
    return sampleUniformly(this.space, suggestionStream(this.seed, history.length));
  }
}

export function sampleUniformly(space: readonly ParameterSpace[], random: Random): Assignment {
  const assignment: Assignment = {};
  for (const p of space) {
    if (isListSpace(p)) {
      assignment[p.name] = p.list[Math.min(p.list.length - 1, Math.floor(random.next() * p.list.length))];
      continue;
    }
    const half = p.step === null ? 0 : p.step / 2;
    const max = lastOnGrid(p.min, p.max, p.step);
    const low = p.log ? Math.log(p.min - half) : p.min - half;
    const high = p.log ? Math.log(max + half) : max + half;
    const drawn = random.uniform(low, high);
    assignment[p.name] = toGrid(p, p.log ? Math.exp(drawn) : drawn);
  }
  return assignment;
}

/** A numeric value onto the parameter's steps, inside its range. */
export function toGrid(p: NumericSpace, value: number): number {
  if (p.step === null) return Math.min(p.max, Math.max(p.min, value));
  const stepped = p.min + Math.round((value - p.min) / p.step) * p.step;
  const clipped = Math.min(lastOnGrid(p.min, p.max, p.step), Math.max(p.min, stepped));
  // Steps like 0.1 leave binary noise (0.30000000000000004): keep the digits the step has.
  return p.parameterType === 'int' ? Math.round(clipped) : Number(clipped.toPrecision(12));
}
