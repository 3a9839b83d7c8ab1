/** The tuning spec: Katib's fields read from `katib_metadata`; each bad field is a coded error naming it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Parameter } from '../../src/ir.js';
import { readExperimentSpec } from '../../src/tune/spec.js';

const param = (name: string, type: Parameter['type'], value: Parameter['default']): Parameter => ({
  name,
  type,
  default: value,
  cellIndex: 1,
  line: 1
});
const notebook = {
  parameters: [
    param('learning_rate', 'number', 0.1),
    param('hidden_units', 'number', 16),
    param('optimizer', 'string', 'adam'),
    param('shuffle', 'boolean', true)
  ],
  metrics: [{ name: 'loss' }, { name: 'accuracy' }]
};

/** A Katib-style spec, numbers as strings as Katib writes them. */
const valid = () => ({
  objective: { type: 'minimize', goal: 0.01, objectiveMetricName: 'loss', additionalMetricNames: ['accuracy'] },
  algorithm: {
    algorithmName: 'tpe',
    algorithmSettings: [
      { name: 'random_state', value: '7' },
      { name: 'n_startup_trials', value: '5' }
    ]
  },
  parallelTrialCount: 2,
  maxTrialCount: 12,
  maxFailedTrialCount: 3,
  parameters: [
    {
      name: 'learning_rate',
      parameterType: 'double',
      feasibleSpace: { min: '0.001', max: '0.1', distribution: 'logUniform' }
    },
    { name: 'hidden_units', parameterType: 'int', feasibleSpace: { min: '4', max: '32', step: '4' } },
    { name: 'optimizer', parameterType: 'categorical', feasibleSpace: { list: ['adam', 'sgd'] } },
    { name: 'shuffle', parameterType: 'categorical', feasibleSpace: { list: ['true', 'false'] } }
  ]
});

test('a Katib spec reads into numbers and notebook values', () => {
  const { spec, diagnostics } = readExperimentSpec(valid(), notebook);
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(spec, {
    objective: { type: 'minimize', goal: 0.01, objectiveMetricName: 'loss', additionalMetricNames: ['accuracy'] },
    algorithm: {
      algorithmName: 'tpe',
      algorithmSettings: [
        { name: 'random_state', value: '7' },
        { name: 'n_startup_trials', value: '5' }
      ],
      seed: 7,
      nStartupTrials: 5,
      nEiCandidates: 24
    },
    parallelTrialCount: 2,
    maxTrialCount: 12,
    maxFailedTrialCount: 3,
    parameters: [
      { name: 'learning_rate', parameterType: 'double', min: 0.001, max: 0.1, step: null, log: true },
      { name: 'hidden_units', parameterType: 'int', min: 4, max: 32, step: 4, log: false },
      { name: 'optimizer', parameterType: 'categorical', list: ['adam', 'sgd'] },
      { name: 'shuffle', parameterType: 'categorical', list: [true, false] }
    ]
  });
});

test("defaults: Katib's 3 parallel trials, no seed, no failure limit; grid's budget is its size", () => {
  const spec = readExperimentSpec(
    {
      objective: { type: 'maximize', objectiveMetricName: 'accuracy' },
      algorithm: { algorithmName: 'grid' },
      parameters: [
        { name: 'hidden_units', parameterType: 'int', feasibleSpace: { min: 4, max: 12, step: 4 } },
        { name: 'learning_rate', parameterType: 'discrete', feasibleSpace: { list: ['0.1', '0.01'] } }
      ]
    },
    notebook
  ).spec;
  assert.equal(spec?.parallelTrialCount, 3);
  assert.equal(spec?.maxTrialCount, 6);
  assert.equal(spec?.maxFailedTrialCount, null);
  assert.equal(spec?.algorithm.seed, null);
  assert.equal(spec?.objective.goal, null);
});

type Spec = ReturnType<typeof valid> & Record<string, unknown>;
const cases: [string, (s: Spec) => void, string, RegExp][] = [
  [
    'objective missing',
    s => delete (s as Record<string, unknown>).objective,
    'tune-missing-field',
    /katib_metadata\.objective`/
  ],
  ['objective type', s => (s.objective.type = 'lower'), 'tune-invalid-field', /objective\.type/],
  [
    'objective metric unknown',
    s => (s.objective.objectiveMetricName = 'f1'),
    'tune-unknown-metric',
    /objectiveMetricName.*`f1`/
  ],
  [
    'additional metric repeats objective',
    s => (s.objective.additionalMetricNames = ['loss']),
    'tune-invalid-field',
    /additionalMetricNames\[0\]/
  ],
  [
    'goal not a number',
    s => ((s.objective as Record<string, unknown>).goal = 'low'),
    'tune-invalid-field',
    /objective\.goal/
  ],
  [
    'algorithm unknown',
    s => (s.algorithm.algorithmName = 'hyperband'),
    'tune-unknown-algorithm',
    /algorithmName.*hyperband/
  ],
  [
    'setting unknown',
    s => s.algorithm.algorithmSettings.push({ name: 'gamma', value: '0.2' }),
    'tune-unknown-setting',
    /algorithmSettings\[2\]\.name/
  ],
  [
    'seed not a whole number',
    s => (s.algorithm.algorithmSettings[0].value = '1.5'),
    'tune-invalid-field',
    /algorithmSettings\[0\]\.value/
  ],
  ['parameters empty', s => (s.parameters = []), 'tune-invalid-field', /katib_metadata\.parameters`/],
  [
    'parameter not in the parameters cell',
    s => (s.parameters[0].name = 'epochs'),
    'tune-unknown-parameter',
    /parameters\[0\]\.name.*`epochs`/
  ],
  [
    'parameter twice',
    s => (s.parameters[1].name = 'learning_rate'),
    'tune-duplicate-parameter',
    /parameters\[1\]\.name/
  ],
  [
    'parameterType unknown',
    s => (s.parameters[1].parameterType = 'float'),
    'tune-invalid-field',
    /parameters\[1\]\.parameterType/
  ],
  [
    'double over a string parameter',
    s => (s.parameters[0].name = 'optimizer'),
    'tune-parameter-type-mismatch',
    /parameters\[0\]\.parameterType/
  ],
  [
    'min not a number',
    s => ((s.parameters[1].feasibleSpace as Record<string, unknown>).min = 'four'),
    'tune-invalid-field',
    /parameters\[1\]\.feasibleSpace\.min/
  ],
  [
    'max missing',
    s => delete (s.parameters[1].feasibleSpace as Record<string, unknown>).max,
    'tune-missing-field',
    /parameters\[1\]\.feasibleSpace\.max/
  ],
  [
    'min above max',
    s => ((s.parameters[1].feasibleSpace as Record<string, unknown>).min = '64'),
    'tune-empty-space',
    /parameters\[1\]\.feasibleSpace/
  ],
  [
    'int with a fractional step',
    s => ((s.parameters[1].feasibleSpace as Record<string, unknown>).step = '0.5'),
    'tune-invalid-field',
    /feasibleSpace\.step.*whole/
  ],
  [
    'step not above 0',
    s => ((s.parameters[1].feasibleSpace as Record<string, unknown>).step = '0'),
    'tune-invalid-field',
    /feasibleSpace\.step/
  ],
  [
    'logUniform from 0',
    s => ((s.parameters[0].feasibleSpace as Record<string, unknown>).min = '0'),
    'tune-invalid-field',
    /parameters\[0\]\.feasibleSpace\.min.*above 0/
  ],
  [
    'distribution unknown',
    s => ((s.parameters[0].feasibleSpace as Record<string, unknown>).distribution = 'normal'),
    'tune-invalid-field',
    /feasibleSpace\.distribution/
  ],
  [
    'categorical list empty',
    s => ((s.parameters[2].feasibleSpace as Record<string, unknown>).list = []),
    'tune-empty-space',
    /parameters\[2\]\.feasibleSpace\.list/
  ],
  [
    'boolean list entry',
    s => ((s.parameters[3].feasibleSpace as Record<string, unknown>).list = ['yes']),
    'tune-parameter-type-mismatch',
    /parameters\[3\]\.feasibleSpace\.list\[0\]/
  ],
  [
    'list with min',
    s => ((s.parameters[2].feasibleSpace as Record<string, unknown>).min = '1'),
    'tune-invalid-field',
    /parameters\[2\]\.feasibleSpace\.min/
  ],
  [
    'maxTrialCount not whole',
    s => ((s as Record<string, unknown>).maxTrialCount = 2.5),
    'tune-invalid-field',
    /maxTrialCount/
  ],
  ['no budget', s => delete (s as Record<string, unknown>).maxTrialCount, 'tune-no-budget', /maxTrialCount/],
  [
    'parallel above the budget',
    s => ((s as Record<string, unknown>).parallelTrialCount = 20),
    'tune-invalid-field',
    /parallelTrialCount.*20/
  ],
  [
    'failures above the budget',
    s => ((s as Record<string, unknown>).maxFailedTrialCount = 13),
    'tune-invalid-field',
    /maxFailedTrialCount/
  ]
];

for (const [name, change, code, where] of cases) {
  test(`a bad spec is a coded error naming the field: ${name}`, () => {
    const spec = valid() as Spec;
    change(spec);
    const { spec: read, diagnostics } = readExperimentSpec(spec, notebook);
    assert.equal(read, null);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [d] = diagnostics;
    assert.equal(d.code, code);
    assert.equal(d.severity, 'error');
    assert.match(d.message, where);
    assert.ok(d.hint.length > 0);
  });
}

test('a grid search refuses what it cannot enumerate', () => {
  const spec = valid() as Spec;
  spec.algorithm = { algorithmName: 'grid', algorithmSettings: [] };
  const codes = readExperimentSpec(spec, notebook).diagnostics.map(d => [d.code, d.message]);
  assert.deepEqual(
    codes.map(c => c[0]),
    ['tune-invalid-field']
  );
  assert.match(codes[0][1], /parameters\[0\]\.feasibleSpace\.distribution.*grid/);
  spec.parameters[0].feasibleSpace = { min: '0.1', max: '0.3' } as never;
  assert.match(readExperimentSpec(spec, notebook).diagnostics[0].message, /parameters\[0\]\.feasibleSpace\.step/);
  spec.parameters[0].feasibleSpace = { min: '0.1', max: '0.3', step: '0.1' } as never;
  // 3 x 8 x 2 x 2 = 96 combinations, and 12 asked for: fine; 100 is more than the grid has.
  assert.deepEqual(readExperimentSpec(spec, notebook).diagnostics, []);
  (spec as Record<string, unknown>).maxTrialCount = 100;
  assert.match(readExperimentSpec(spec, notebook).diagnostics[0].message, /maxTrialCount.*96/);
});

test('every problem is reported at once', () => {
  const spec = valid() as Spec;
  spec.objective.type = 'up';
  spec.parameters[0].name = 'epochs';
  spec.algorithm.algorithmName = 'anneal';
  const codes = readExperimentSpec(spec, notebook)
    .diagnostics.map(d => d.code)
    .sort();
  assert.deepEqual(codes, ['tune-invalid-field', 'tune-unknown-algorithm', 'tune-unknown-parameter']);
});

test('no katib_metadata at all says how to add it', () => {
  const [d] = readExperimentSpec(undefined, notebook).diagnostics;
  assert.equal(d.code, 'tune-missing-field');
});
