/** `cellflow tune`: an experiment from the notebook's spec on the embedded engine; a bad spec refused with its codes. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

function tunedNotebook(katib: unknown): string {
  const path = writeNotebook(makeWorkspace('tune-cli-'), 'tune.ipynb', [
    [['pipeline-parameters'], 'const x = 0;\nconst offset = 0;'],
    [['step:score'], 'const loss = (x - 3) ** 2 + offset;'],
    [['pipeline-metrics'], 'loss']
  ]);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.metadata.cellflow = { katib_metadata: katib };
  writeFileSync(path, JSON.stringify(json));
  return path;
}

test('cellflow tune runs the trials, overrides the budget, passes --param, and marks the best', () => {
  const path = tunedNotebook({
    objective: { type: 'minimize', objectiveMetricName: 'loss' },
    algorithm: { algorithmName: 'grid' },
    parallelTrialCount: 1,
    parameters: [{ name: 'x', parameterType: 'int', feasibleSpace: { min: '1', max: '5' } }]
  });
  const { code, stdout, stderr } = cli([
    'tune',
    path,
    '--max-trials',
    '3',
    '--parallel-trials',
    '2',
    '-p',
    'offset=10',
    '--json'
  ]);
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(stdout);
  assert.equal(summary.status, 'succeeded');
  assert.equal(summary.reason, 'max-trials');
  assert.deepEqual(
    summary.trials.map((t: { assignment: { x: number }; objective: number }) => [t.assignment.x, t.objective]),
    [
      [1, 14],
      [2, 11],
      [3, 10]
    ]
  );
  assert.equal(summary.bestTrial, 2);
  assert.equal(JSON.parse(readFileSync(summary.record, 'utf8')).id, summary.experimentId);
});

test('a bad spec stops cellflow tune before any trial, each problem coded', () => {
  const path = tunedNotebook({
    objective: { type: 'minimize', objectiveMetricName: 'accuracy' },
    algorithm: { algorithmName: 'tpe' },
    maxTrialCount: 4,
    parameters: [{ name: 'rate', parameterType: 'double', feasibleSpace: { min: '0', max: '1' } }]
  });
  const { code, stdout } = cli(['tune', path, '--json']);
  assert.notEqual(code, 0);
  const { error } = JSON.parse(stdout) as { error: { code: string; diagnostics: { code: string }[] } };
  assert.equal(error.code, 'tune-spec-has-errors', 'the summary says to fix the spec, not the notebook');
  const codes = error.diagnostics.map(d => d.code).sort();
  assert.deepEqual(codes, ['tune-unknown-metric', 'tune-unknown-parameter']);
  const resumed = cli(['tune', path, '--resume', 'NOPE', '--json']);
  assert.match(resumed.stdout, /unknown-experiment/);
});
