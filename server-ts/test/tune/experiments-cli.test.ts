/** `cellflow experiments`: the list beside a notebook, one experiment with its trials, an unknown id coded; and the plain lines `cellflow tune` prints off a terminal. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

test('cellflow experiments lists and shows what cellflow tune did', () => {
  const path = writeNotebook(makeWorkspace('experiments-cli-'), 'tune.ipynb', [
    [['pipeline-parameters'], 'const x = 0;'],
    [['step:score'], 'const loss = (x - 3) ** 2;'],
    [['pipeline-metrics'], 'loss']
  ]);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.metadata.cellflow = {
    katib_metadata: {
      objective: { type: 'minimize', objectiveMetricName: 'loss' },
      algorithm: { algorithmName: 'grid' },
      parallelTrialCount: 1,
      parameters: [{ name: 'x', parameterType: 'int', feasibleSpace: { min: '2', max: '3' } }]
    }
  };
  writeFileSync(path, JSON.stringify(json));

  // Off a terminal: one plain line per trial start and end, then the table on stdout.
  const tuned = cli(['tune', path]);
  assert.equal(tuned.code, 0, tuned.stderr);
  const lines = tuned.stderr.split('\n').filter(l => l.startsWith('trial '));
  assert.deepEqual(lines, [
    'trial 0 running [x=2]',
    'trial 0 succeeded loss=1 (best so far) [x=2]',
    'trial 1 running [x=3]',
    'trial 1 succeeded loss=0 (best so far) [x=3]'
  ]);
  assert.ok(!tuned.stderr.includes('\u001b['), 'no cursor movement in a log');
  assert.match(tuned.stdout, /★ best/);

  const listed = cli(['experiments', path, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const [row] = JSON.parse(listed.stdout) as Record<string, unknown>[];
  assert.equal(row.algorithm, 'grid');
  assert.equal(row.status, 'succeeded');
  assert.equal(row.trialsDone, 2);
  assert.equal(row.maxTrials, 2);
  assert.equal(row.bestObjective, 0);
  assert.deepEqual(row.bestParameters, { x: 3 });
  const table = cli(['experiments', dirname(path)]);
  assert.match(table.stdout, new RegExp(`${row.id as string}.*grid.*succeeded.*2/2.*loss=0.*x=3`));

  const shown = cli(['experiments', row.id as string, '--dir', path]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /│ 1 +│ 3 +│ succeeded +│ 0 +│ ★ best/);
  const one = JSON.parse(cli(['experiments', row.id as string, '--dir', path, '--json']).stdout);
  assert.equal(one.trials.length, 2);
  assert.ok(one.trials.every((t: { runId: string | null }) => typeof t.runId === 'string'));

  const unknown = cli(['experiments', 'NOPE', '--dir', path]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr + unknown.stdout, /unknown-experiment/);
  assert.doesNotMatch(unknown.stderr, /at .*\.js:\d+/, 'no stack trace');
});
