/**
 * TPE against random search and against Optuna's TPE on the test functions, same budget and seeds.
 * Statistical claims made deterministic: the seeds are fixed and the median over them is asserted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomSampler } from '../../src/tune/samplers/random.js';
import { TpeSampler } from '../../src/tune/samplers/tpe.js';
import { TEST_FUNCTIONS, type TestFunction, bestAfter, branin, median } from './functions.js';
import { runOptuna } from './optuna.js';

const TRIALS = 30;
const seeds = (n: number) => Array.from({ length: n }, (_, i) => i);
const tpe = (fn: TestFunction, seed: number, multivariate = false) =>
  new TpeSampler(fn.space, { seed, objective: 'minimize', multivariate, nStartupTrials: 10, nEiCandidates: 24 });

function medianRegret(fn: TestFunction, best: readonly number[]): number {
  return median(best.map(b => b - fn.optimum));
}

test('on Branin at 30 trials, TPE beats random search (median best over 10 seeds)', () => {
  const tpeBest = median(seeds(10).map(s => bestAfter(tpe(branin, s), branin, TRIALS)));
  const randomBest = median(seeds(10).map(s => bestAfter(new RandomSampler(branin.space, s), branin, TRIALS)));
  assert.ok(tpeBest < randomBest, `TPE ${tpeBest} < random ${randomBest}`);
});

test('on Hartmann-6 and the multimodal 1-D function too, TPE beats random search (median regret over 10 seeds)', () => {
  for (const fn of TEST_FUNCTIONS.filter(f => f !== branin)) {
    const tpeRegret = medianRegret(
      fn,
      seeds(10).map(s => bestAfter(tpe(fn, s), fn, TRIALS))
    );
    const randomRegret = medianRegret(
      fn,
      seeds(10).map(s => bestAfter(new RandomSampler(fn.space, s), fn, TRIALS))
    );
    assert.ok(tpeRegret < randomRegret, `${fn.name}: TPE ${tpeRegret} < random ${randomRegret}`);
  }
});

for (const multivariate of [false, true]) {
  const name = multivariate ? 'multivariate-tpe' : 'tpe';
  test(`${name} is as good as Optuna's TPE (multivariate=${multivariate ? 'True' : 'False'}) on every test function: median regret within 2x`, t => {
    const ratios: string[] = [];
    for (const fn of TEST_FUNCTIONS) {
      const optuna = runOptuna(fn, TRIALS, seeds(20), multivariate);
      if ('unavailable' in optuna) {
        t.skip(`Optuna is not available (${optuna.unavailable})`);
        return;
      }
      const ours = medianRegret(
        fn,
        seeds(20).map(s => bestAfter(tpe(fn, s, multivariate), fn, TRIALS))
      );
      const theirs = medianRegret(fn, optuna.best);
      ratios.push(`${fn.name} ${(ours / theirs).toFixed(2)} (${ours.toPrecision(3)} vs ${theirs.toPrecision(3)})`);
      // Loose on purpose: different random streams; 0.01 absolute for regrets both near 0.
      assert.ok(ours <= 2 * theirs + 0.01, `${fn.name}: cellflow ${ours} vs Optuna ${optuna.version} ${theirs}`);
    }
    t.diagnostic(`median regret, cellflow / Optuna: ${ratios.join('; ')}`);
  });
}
