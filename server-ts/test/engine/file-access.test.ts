/**
 * Files the snapshot does not freeze (excluded by .gitignore, above the workspace) and files as a hidden dependency
 * between steps: a cached result stands only while what it read outside the copy is unchanged, and a file one step
 * writes and an unrelated step reads (or writes too) is refused with the tag that fixes it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

test('a gitignored data file and a file above the workspace: edited, the step reading it runs again', async () => {
  const outer = makeWorkspace('file-access-outside-');
  const dir = join(outer, 'nb');
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, '.gitignore'), 'data/\n');
  writeFileSync(join(dir, 'data', 'x.txt'), '1');
  writeFileSync(join(outer, 'shared.txt'), '10');
  const path = writeNotebook(dir, 'outside.ipynb', [
    [
      ['step:load'],
      "import { readFileSync, readdirSync } from 'node:fs';\nconst files = readdirSync('data').length;\nconst n = Number(readFileSync('data/x.txt', 'utf8'));"
    ],
    [['step:shared'], "const m = Number((await import('node:fs')).readFileSync('../shared.txt', 'utf8'));"],
    [['step:report', 'prev:load', 'prev:shared'], 'const score = n * 100 + m + files * 1000;'],
    [['pipeline-metrics'], 'score']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded', JSON.stringify(first.steps));
  assert.equal(first.metrics.score, 1110);
  const again = await runNotebook(path);
  assert.deepEqual(
    again.stepOrder.filter(s => again.steps[s].cached),
    again.stepOrder,
    'nothing changed: every step from the cache'
  );

  writeFileSync(join(dir, 'data', 'x.txt'), '7'); // excluded from the snapshot, so not in the workspace key
  const edited = await runNotebook(path);
  assert.equal(edited.status, 'succeeded', JSON.stringify(edited.steps));
  assert.equal(edited.steps.load.cached, false, 'the excluded file it read changed');
  assert.equal(edited.steps.shared.cached, true);
  assert.equal(edited.metrics.score, 1710);
  const log = readFileSync(join(dir, '.cellflow', 'runs', edited.id, 'steps', 'load', 'engine.log'), 'utf8');
  assert.match(log, /runs again: `.*data\/x\.txt` changed since its cached result/);

  writeFileSync(join(dir, 'data', 'y.txt'), 'new'); // the folder's listing changed
  const listed = await runNotebook(path);
  assert.equal(listed.steps.load.cached, false, 'the folder it listed has a new file');
  assert.equal(listed.metrics.score, 2710);

  writeFileSync(join(outer, 'shared.txt'), '20');
  const above = await runNotebook(path);
  assert.equal(above.steps.shared.cached, false, 'the file above the workspace changed');
  assert.equal(above.steps.load.cached, true);
  assert.equal(above.metrics.score, 2720);
});

test('a file written by one step and read by a step not downstream of it: the run is refused, naming both', async () => {
  const dir = makeWorkspace('file-access-race-');
  const path = writeNotebook(dir, 'race.ipynb', [
    [['imports'], "import { existsSync, readFileSync, writeFileSync } from 'node:fs';"],
    [['step:write'], "writeFileSync('made.txt', '5');\nconst a = 1;"],
    [['step:read'], "const b = existsSync('made.txt') ? Number(readFileSync('made.txt', 'utf8')) : 0;"],
    [['step:report', 'prev:write', 'prev:read'], 'const score = a + b;'],
    [['pipeline-metrics'], 'score']
  ]);
  const run = await runNotebook(path);
  assert.equal(run.status, 'failed');
  const failed = run.stepOrder.filter(s => run.steps[s].status === 'failed');
  assert.equal(failed.length, 1, JSON.stringify(run.steps));
  const error = run.steps[failed[0]!].error!;
  assert.equal(error.code, 'file-read-from-unrelated-step');
  assert.match(error.message, /Step `read` reads `made\.txt`, which step `write` writes/);
  assert.match(error.hint ?? '', /prev:write/);
  assert.deepEqual(run.metrics, {}, 'no metrics from a refused run');
});

test('with the dependency declared, the same notebook runs and gives the notebook’s number', async () => {
  const dir = makeWorkspace('file-access-declared-');
  const path = writeNotebook(dir, 'declared.ipynb', [
    [['imports'], "import { existsSync, readFileSync, writeFileSync } from 'node:fs';"],
    [['step:write'], "writeFileSync('made.txt', '5');\nconst a = 1;"],
    [['step:read', 'prev:write'], "const b = existsSync('made.txt') ? Number(readFileSync('made.txt', 'utf8')) : 0;"],
    [['step:report', 'prev:read'], 'const score = a + b;'],
    [['pipeline-metrics'], 'score']
  ]);
  const run = await runNotebook(path);
  assert.equal(run.status, 'succeeded', JSON.stringify(run.steps));
  assert.equal(run.metrics.score, 6);
});

test('two unrelated steps writing one file are refused', async () => {
  const dir = makeWorkspace('file-access-both-');
  const path = writeNotebook(dir, 'both.ipynb', [
    [['imports'], "import { appendFileSync } from 'node:fs';"],
    [['step:one'], "appendFileSync('log.txt', 'one\\n');\nconst a = 1;"],
    [['step:two'], "appendFileSync('log.txt', 'two\\n');\nconst b = 2;"],
    [['step:report', 'prev:one', 'prev:two'], 'const score = a + b;'],
    [['pipeline-metrics'], 'score']
  ]);
  const run = await runNotebook(path);
  assert.equal(run.status, 'failed');
  const failed = run.stepOrder.filter(s => run.steps[s].status === 'failed');
  assert.equal(run.steps[failed[0]!].error!.code, 'file-written-by-unrelated-steps', JSON.stringify(run.steps));
  assert.match(run.steps[failed[0]!].error!.hint ?? '', /prev:one/);
});

test('a folder `cellflow restore` made inside the workspace changes no cache key and is not stored again', async () => {
  const dir = makeWorkspace('file-access-restored-');
  const path = writeNotebook(dir, 'restored.ipynb', [
    [['step:make'], 'const n = 3;'],
    [['step:report', 'prev:make'], 'const score = n * 2;'],
    [['pipeline-metrics'], 'score']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded', JSON.stringify(first.steps));
  const restored = join(dir, 'restored', 'restored-01ABC-report');
  mkdirSync(join(restored, '.cellflow-restore'), { recursive: true });
  writeFileSync(join(restored, '.cellflow-restore', 'restore.json'), '{}');
  writeFileSync(join(restored, 'big.bin'), 'x'.repeat(1000));
  const again = await runNotebook(path);
  assert.equal(again.status, 'succeeded', JSON.stringify(again.steps));
  assert.deepEqual(
    again.stepOrder.filter(s => again.steps[s].cached),
    again.stepOrder,
    'the restored folder is not part of the workspace the steps are keyed on'
  );
  writeFileSync(join(dir, 'other.txt'), 'a real workspace file');
  const changed = await runNotebook(path);
  assert.equal(changed.steps.make.cached, false, 'other files still are');
});
