/** Which steps a partial run runs, needs and leaves out (pure). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { selectSteps, type SelectableStep } from '../../src/engine/step-selection.js';

const step = (
  name: string,
  firstCell: number,
  dependencies: string[] = [],
  ins: string[] = [],
  more: Partial<SelectableStep> = {}
): SelectableStep => ({
  name,
  firstCell,
  dependencies,
  ins: ins.map(n => ({ name: n })),
  preludeBindings: [],
  readsProcess: false,
  ...more
});

// generate -> stats, generate -> train, stats + train -> report
const diamond = [
  step('generate', 1),
  step('stats', 2, ['generate'], ['data']),
  step('train', 3, ['generate'], ['data']),
  step('report', 4, ['stats', 'train'], ['mean', 'weights'])
];

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof CellflowError, String(error));
    return error.diagnostic.code;
  }
  assert.fail('expected a refusal');
};

test('no selection is a whole run', () => {
  assert.equal(selectSteps(diamond, {}), undefined);
});

test('one step needs all its ancestors, and steps before it that load what it loads', () => {
  const selection = selectSteps(diamond, { only: ['report'] })!;
  assert.deepEqual([...selection.selected], ['report']);
  assert.deepEqual(
    selection.needed.map(n => [n.name, n.why, n.by]),
    [
      ['generate', 'upstream', ['report']],
      ['stats', 'upstream', ['report']],
      ['train', 'upstream', ['report']]
    ]
  );
  assert.deepEqual(selection.unselected, []);

  // train loads `data` as stats does, and comes after it: stats' run must be checked, so it is needed.
  const train = selectSteps(diamond, { only: ['train'] })!;
  assert.deepEqual(
    train.needed.map(n => [n.name, n.why]),
    [
      ['generate', 'upstream'],
      ['stats', 'check']
    ]
  );
  assert.deepEqual(train.unselected, ['report']);
});

test('a step earlier in the notebook that shares nothing with the selected one is left out', () => {
  const steps = [step('a', 1), step('b', 2, ['a'], ['x']), step('c', 3, ['a'], ['y'])];
  const selection = selectSteps(steps, { only: ['c'] })!;
  assert.deepEqual(
    selection.needed.map(n => n.name),
    ['a']
  );
  assert.deepEqual(selection.unselected, ['b']);
  // Both read `process`: an env change in b that the analysis missed would reach c in the notebook.
  const env = [
    step('a', 1),
    step('b', 2, ['a'], ['x'], { readsProcess: true }),
    step('c', 3, ['a'], ['y'], { readsProcess: true })
  ];
  assert.deepEqual(
    selectSteps(env, { only: ['c'] })!.needed.map(n => [n.name, n.why]),
    [
      ['a', 'upstream'],
      ['b', 'check']
    ]
  );
});

test('from a step: it and everything downstream run, the rest they need is reused', () => {
  const selection = selectSteps(diamond, { from: 'train' })!;
  assert.deepEqual([...selection.selected].sort(), ['report', 'train']);
  assert.deepEqual(
    selection.needed.map(n => n.name),
    ['generate', 'stats']
  );
  assert.deepEqual(selection.unselected, []);
  assert.deepEqual([...selectSteps(diamond, { from: 'generate' })!.selected].sort(), [
    'generate',
    'report',
    'stats',
    'train'
  ]);
});

test('a needed step below a selected one is a gap', () => {
  assert.equal(
    codeOf(() => selectSteps(diamond, { only: ['generate', 'report'] })),
    'step-selection-gap'
  );
  // Selecting the steps between closes it.
  const whole = selectSteps(diamond, { only: ['generate', 'stats', 'train', 'report'] })!;
  assert.deepEqual(whole.needed, []);
});

test('unknown names, an empty selection and both kinds at once are refused with codes', () => {
  assert.equal(
    codeOf(() => selectSteps(diamond, { only: ['nope'] })),
    'step-not-in-pipeline'
  );
  assert.equal(
    codeOf(() => selectSteps(diamond, { from: 'nope' })),
    'step-not-in-pipeline'
  );
  assert.equal(
    codeOf(() => selectSteps(diamond, { only: [] })),
    'empty-step-selection'
  );
  assert.equal(
    codeOf(() => selectSteps(diamond, { only: ['stats'], from: 'train' })),
    'step-selection-conflict'
  );
});
