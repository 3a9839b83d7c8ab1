/**
 * Test functions for the samplers (and `npm run bench`), with their known minima: Branin (2-D, three
 * global minima), Hartmann-6 (6-D, on the unit cube) and a multimodal 1-D function. The same
 * definitions are in `optuna_oracle.py`, which runs Optuna on them.
 */
import type { Assignment, ParameterSpace, Sampler, TrialObservation } from '../../src/tune/types.js';

export interface TestFunction {
  name: 'branin' | 'hartmann6' | 'multimodal1d';
  space: ParameterSpace[];
  /** The global minimum. */
  optimum: number;
  evaluate(a: Assignment): number;
}

const double = (name: string, min: number, max: number): ParameterSpace => ({
  name,
  parameterType: 'double',
  min,
  max,
  step: null,
  log: false
});

export const branin: TestFunction = {
  name: 'branin',
  space: [double('x1', -5, 10), double('x2', 0, 15)],
  optimum: 0.397887357729738,
  evaluate(a) {
    const x1 = a.x1 as number;
    const x2 = a.x2 as number;
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  }
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14]
];
const H_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]
];

export const hartmann6: TestFunction = {
  name: 'hartmann6',
  space: Array.from({ length: 6 }, (_, i) => double(`x${i + 1}`, 0, 1)),
  optimum: -3.32236801141551,
  evaluate(a) {
    const x = Array.from({ length: 6 }, (_, j) => a[`x${j + 1}`] as number);
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
      sum += H_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  }
};

/** sin(x) + sin(10x/3) on [2.7, 7.5]: three local minima, the global one near x = 5.1457. */
export const multimodal1d: TestFunction = {
  name: 'multimodal1d',
  space: [double('x', 2.7, 7.5)],
  optimum: -1.899599349152113,
  evaluate(a) {
    const x = a.x as number;
    return Math.sin(x) + Math.sin((10 * x) / 3);
  }
};

export const TEST_FUNCTIONS = [branin, hartmann6, multimodal1d];

/** The best value a sampler finds in `trials` sequential trials (minimizing). */
export function bestAfter(sampler: Sampler, fn: TestFunction, trials: number): number {
  const history: TrialObservation[] = [];
  let best = Infinity;
  for (let i = 0; i < trials; i++) {
    const assignment = sampler.suggest(history);
    if (assignment === null) break;
    const value = fn.evaluate(assignment);
    history.push({ assignment, state: 'completed', value });
    best = Math.min(best, value);
  }
  return best;
}

export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
