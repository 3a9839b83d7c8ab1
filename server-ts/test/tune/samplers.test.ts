/** The samplers: deterministic per seed, inside the space, and grid's exact product. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSampler } from '../../src/tune/samplers/index.js';
import { GridSampler } from '../../src/tune/samplers/grid.js';
import {
  type AlgorithmName,
  type Assignment,
  type ExperimentSpec,
  isListSpace,
  type ParameterSpace,
  type TrialObservation
} from '../../src/tune/types.js';

const space: ParameterSpace[] = [
  { name: 'units', parameterType: 'int', min: 4, max: 30, step: 4, log: false },
  { name: 'batch', parameterType: 'int', min: 1, max: 1024, step: 1, log: true },
  { name: 'rate', parameterType: 'double', min: 1e-5, max: 1, step: null, log: true },
  { name: 'dropout', parameterType: 'double', min: 0, max: 0.5, step: 0.1, log: false },
  { name: 'momentum', parameterType: 'double', min: 0.5, max: 0.99, step: null, log: false },
  { name: 'layers', parameterType: 'discrete', list: [1, 2, 3] },
  { name: 'optimizer', parameterType: 'categorical', list: ['adam', 'sgd', 'rmsprop'] },
  { name: 'shuffle', parameterType: 'categorical', list: [true, false] }
];

const spec = (algorithmName: AlgorithmName): Pick<ExperimentSpec, 'algorithm' | 'parameters' | 'objective'> => ({
  algorithm: { algorithmName, algorithmSettings: [], seed: null, nStartupTrials: 10, nEiCandidates: 24 },
  parameters: space,
  objective: { type: 'minimize', goal: null, objectiveMetricName: 'loss', additionalMetricNames: [] }
});

/** A made-up objective over every parameter, so TPE has something to model. */
function loss(a: Assignment): number {
  return (
    Math.abs((a.units as number) - 17) / 10 +
    Math.abs(Math.log10(a.rate as number) + 3) +
    Math.abs(Math.log2(a.batch as number) - 5) / 3 +
    (a.dropout as number) +
    (a.optimizer === 'sgd' ? 0 : 0.5) +
    (a.shuffle ? 0 : 0.2) +
    (a.layers as number) / 10
  );
}

function drive(algorithm: AlgorithmName, seed: number, trials: number): Assignment[] {
  const sampler = createSampler(spec(algorithm), seed);
  const history: TrialObservation[] = [];
  for (let i = 0; i < trials; i++) {
    const assignment = sampler.suggest(history);
    assert.ok(assignment);
    // Every fifth trial fails and every seventh is still running: samplers must cope with both.
    const state = i % 5 === 4 ? 'failed' : i % 7 === 6 ? 'running' : 'completed';
    history.push({ assignment, state, value: state === 'completed' ? loss(assignment) : null });
  }
  return history.map(t => t.assignment);
}

function assertInSpace(a: Assignment): void {
  assert.deepEqual(
    Object.keys(a),
    space.map(p => p.name)
  );
  for (const p of space) {
    const v = a[p.name];
    if (isListSpace(p)) {
      assert.ok(p.list.includes(v), `${p.name}=${String(v)} is in its list`);
      continue;
    }
    assert.equal(typeof v, 'number');
    const n = v as number;
    assert.ok(n >= p.min && n <= p.max, `${p.name}=${n} is within [${p.min}, ${p.max}]`);
    if (p.parameterType === 'int') assert.ok(Number.isInteger(n), `${p.name}=${n} is whole`);
    if (p.step !== null) {
      const k = (n - p.min) / p.step;
      assert.ok(Math.abs(k - Math.round(k)) < 1e-9, `${p.name}=${n} is on its step ${p.step}`);
    }
  }
}

for (const algorithm of ['random', 'tpe', 'multivariate-tpe'] as const) {
  test(`${algorithm}: the same seed suggests the same trials, another seed others`, () => {
    const first = drive(algorithm, 42, 25);
    assert.deepEqual(drive(algorithm, 42, 25), first);
    assert.notDeepEqual(drive(algorithm, 43, 25), first);
  });

  test(`${algorithm}: every suggestion lies in the space (int steps, log scales, lists)`, () => {
    const suggestions = drive(algorithm, 7, 40);
    suggestions.forEach(assertInSpace);
    // Log scale: a uniform draw over [1e-5, 1] would put ~99.99% above 1e-4; a log-uniform one ~80%.
    const startup = suggestions
      .slice(0, 10)
      .concat(drive(algorithm, 8, 10), drive(algorithm, 9, 10), drive(algorithm, 10, 10));
    assert.ok(
      startup.some(a => (a.rate as number) < 1e-3),
      'small rates are drawn on a log scale'
    );
    assert.ok(new Set(startup.map(a => a.optimizer)).size === 3, 'each categorical value comes up');
  });

  test(`${algorithm}: a suggestion depends only on the seed and the history (a resumed experiment repeats it)`, () => {
    const sampler = createSampler(spec(algorithm), 5);
    const history: TrialObservation[] = drive(algorithm, 5, 15).map(assignment => ({
      assignment,
      state: 'completed',
      value: loss(assignment)
    }));
    const again = createSampler(spec(algorithm), 5);
    assert.deepEqual(again.suggest(history), sampler.suggest(history));
    assert.deepEqual(sampler.suggest(history.slice(0, 12)), again.suggest(history.slice(0, 12)));
  });
}

test('tpe models the history once its startup trials are done: it concentrates near the good region', () => {
  const seeds = [1, 2, 3, 4, 5, 6];
  const late = (algorithm: AlgorithmName) => seeds.flatMap(s => drive(algorithm, s, 40).slice(25)).map(loss);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(late('tpe')) < mean(late('random')), `${mean(late('tpe'))} < ${mean(late('random'))}`);
});

test('grid enumerates exactly the product of the values, each once, then stops', () => {
  const grid: ParameterSpace[] = [
    { name: 'units', parameterType: 'int', min: 4, max: 13, step: 4, log: false },
    { name: 'dropout', parameterType: 'double', min: 0.1, max: 0.3, step: 0.1, log: false },
    { name: 'optimizer', parameterType: 'categorical', list: ['adam', 'sgd'] }
  ];
  const sampler = new GridSampler(grid);
  const history: TrialObservation[] = [];
  for (;;) {
    const assignment = sampler.suggest(history);
    if (assignment === null) break;
    history.push({ assignment, state: history.length % 4 === 1 ? 'failed' : 'completed', value: 0 });
    assert.ok(history.length <= 18, 'the grid ends');
  }
  const expected: Assignment[] = [];
  for (const units of [4, 8, 12])
    for (const dropout of [0.1, 0.2, 0.3])
      for (const optimizer of ['adam', 'sgd']) expected.push({ units, dropout, optimizer });
  assert.deepEqual(
    history.map(t => t.assignment),
    expected
  );
});
