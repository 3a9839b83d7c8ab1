/** `cellflow restore` as a command: `--json` prints the folder and what was restored; errors are coded JSON too. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { cli } from '../engine/helpers.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';

test('cellflow restore prints the folder, the notebook, the values and the next step', async () => {
  const dir = makeWorkspace('restore-cli-');
  const path = writeNotebook(dir, 'small.ipynb', [
    [['step:make'], 'const xs = [1, 2];\nconst handler = () => xs.length;'],
    [['step:sum', 'prev:make'], 'const total = xs.reduce((a, b) => a + b, 0);']
  ]);
  const run = await (await new LocalEngine(dir).submit(await compileNotebookFile(path), { parameters: {} })).done;
  assert.equal(run.status, 'succeeded');

  const json = cli(['restore', run.id, '--step', 'make', '--dir', dir, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const result = JSON.parse(json.stdout);
  assert.deepEqual(Object.keys(result).sort(), [
    'folder',
    'notRestored',
    'notebook',
    'replay',
    'runId',
    'step',
    'values'
  ]);
  assert.ok(existsSync(result.notebook));
  assert.deepEqual(result.values, ['xs']);
  // `handler` shares its cell with `xs`, which is restored: replaying the cell would make `xs` again.
  assert.deepEqual(result.replay, { cells: [], names: [] });
  assert.deepEqual(
    result.notRestored.map((n: { name: string }) => n.name),
    ['handler']
  );
  assert.match(result.notRestored[0].reason, /run cell 1 yourself/);

  const human = cli(['restore', run.id, '--dir', path]);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /Restored step `sum` of run/);
  assert.match(human.stdout, /values: +total, xs/);
  assert.match(human.stdout, /Restore state/);

  const refused = cli(['restore', run.id, '--dir', dir, '--json']);
  assert.equal(refused.code, 2);
  assert.equal(JSON.parse(refused.stdout).error.code, 'restore-target-not-empty');
});
