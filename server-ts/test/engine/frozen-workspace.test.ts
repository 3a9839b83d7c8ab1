/**
 * Runs work from the frozen snapshot of the workspace: files are in the cache key, files written by cached steps
 * are written again for their readers, a run never sees edits made while it runs, and each step is snapshotted.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { resolveParameterValues } from '../../src/engine/parameter-values.js';
import { materialize } from '../../src/snapshots/index.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook, waitFor } from './helpers.js';

test('a data file edited between runs: the step reading it runs again and the number changes', async () => {
  const outer = makeWorkspace('frozen-key-');
  const dir = join(outer, 'nb');
  mkdirSync(dir);
  writeFileSync(join(dir, 'data.csv'), '1');
  writeFileSync(join(outer, 'outside.txt'), '100'); // above the workspace: read live, as from the notebook's folder
  const path = writeNotebook(dir, 'key.ipynb', [
    [
      ['step:read'],
      "import { readFileSync } from 'node:fs';\nconst n = Number(readFileSync('data.csv', 'utf8')) + Number(readFileSync('../outside.txt', 'utf8'));"
    ],
    [['step:report', 'prev:read'], 'const score = n * 2;'],
    [['pipeline-metrics'], 'score']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded', JSON.stringify(first.steps));
  assert.equal(first.metrics.score, 202);
  const again = await runNotebook(path);
  assert.deepEqual(
    again.stepOrder.filter(s => again.steps[s].cached),
    again.stepOrder,
    'an unchanged workspace keeps hitting the cache'
  );
  writeFileSync(join(dir, 'data.csv'), '5');
  const edited = await runNotebook(path);
  assert.equal(edited.status, 'succeeded', JSON.stringify(edited.steps));
  assert.equal(edited.steps.read.cached, false, 'the file it reads changed: not from the cache');
  assert.equal(edited.metrics.score, 210);
});

test("a cached writer's file is in the next run's workspace for its reader; steps never write the live folder", async () => {
  const dir = makeWorkspace('frozen-writes-');
  const path = writeNotebook(dir, 'writes.ipynb', [
    [['imports'], "import { readFileSync, writeFileSync } from 'node:fs';"],
    [['pipeline-parameters'], 'const size = 40;\nconst rate = 0.5;'],
    [['step:write'], "writeFileSync('made.txt', String(size));"],
    [['step:read', 'prev:write'], "const score = Number(readFileSync('made.txt', 'utf8')) + rate;"],
    [['pipeline-metrics'], 'score']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded', JSON.stringify(first.steps));
  assert.equal(first.metrics.score, 40.5);
  assert.equal(existsSync(join(dir, 'made.txt')), false, 'written into the run’s copy, not the live folder');

  const second = await runNotebook(path, { overrides: { rate: '2' } });
  assert.equal(second.status, 'succeeded', JSON.stringify(second.steps));
  assert.equal(second.steps.write.cached, true);
  assert.equal(second.steps.read.cached, false);
  assert.equal(second.metrics.score, 42, 'the reader read the file the cached writer wrote');

  // A partial run reusing the writer writes its file into the copy too.
  const compiled = await compileNotebookFile(path);
  const parameters = resolveParameterValues(compiled.local.plan.parameters, { rate: '3' });
  const engine = new LocalEngine(dirname(path));
  const partial = await (await engine.submit(compiled, { parameters, only: ['read'] })).done;
  assert.equal(partial.status, 'succeeded', JSON.stringify(partial.steps));
  assert.equal(partial.steps.write.cached, true);
  assert.equal(partial.metrics.score, 43);

  // Each step's snapshots: its folder (with the file it wrote), and the frozen copy after it.
  const write = second.steps.write;
  assert.match(write.snapshot ?? '', /^[0-9a-f]{64}$/);
  const stepOut = join(makeWorkspace('frozen-restore-'), 'step');
  await materialize(dir, write.snapshot!, stepOut);
  assert.ok(existsSync(join(stepOut, 'result.json')), 'the step folder: its result report');
  assert.equal(readFileSync(join(stepOut, 'workspace-files', 'files', 'made.txt'), 'utf8'), '40');
  const copyOut = join(makeWorkspace('frozen-restore-'), 'copy');
  await materialize(dir, write.workspaceSnapshot!, copyOut);
  assert.equal(readFileSync(join(copyOut, 'made.txt'), 'utf8'), '40');
  assert.ok(existsSync(join(copyOut, 'writes.ipynb')));
  assert.notEqual(write.workspaceSnapshot, second.snapshot, 'the copy after the writer holds its file');
});

test('a run never sees edits made while it runs', async () => {
  const dir = makeWorkspace('frozen-edit-');
  writeFileSync(join(dir, 'data.csv'), '7');
  writeFileSync(join(dir, 'helper.mjs'), 'export const base = 10;\n');
  const started = join(dir, 'started.marker');
  const go = join(dir, 'go.marker');
  const path = writeNotebook(dir, 'edit.ipynb', [
    [
      ['imports'],
      "import { existsSync, readFileSync, writeFileSync } from 'node:fs';\nimport { base } from './helper.mjs';"
    ],
    [
      ['step:wait'],
      `writeFileSync(${JSON.stringify(started)}, '');\nwhile (!existsSync(${JSON.stringify(go)})) await new Promise(resolve => setTimeout(resolve, 50));\nconst ready = 1;`
    ],
    [['step:read', 'prev:wait'], "const score = Number(readFileSync('data.csv', 'utf8')) + ready + base;"],
    [['pipeline-metrics'], 'score']
  ]);
  const compiled = await compileNotebookFile(path);
  const engine = new LocalEngine(dirname(path));
  // One at a time: the second step's process starts (and imports helper.mjs) after the edit, not early.
  const handle = await engine.submit(compiled, { parameters: {}, concurrency: 1 });
  await waitFor(() => (existsSync(started) ? true : undefined), 'the first step to start');
  writeFileSync(join(dir, 'data.csv'), '1000'); // edited while the first step runs
  writeFileSync(join(dir, 'helper.mjs'), 'export const base = 5000;\n');
  writeFileSync(go, '');
  const record = await handle.done;
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps));
  assert.equal(record.metrics.score, 18, 'the second step read data.csv and helper.mjs as they were at the start');
});
