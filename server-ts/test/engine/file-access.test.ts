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

test('Deno steps: a gitignored file read with Deno.readTextFile, edited, runs the step again; a race is refused', async () => {
  const dir = makeWorkspace('file-access-deno-');
  writeFileSync(join(dir, '.gitignore'), 'data/\n');
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'x.txt'), '2');
  const path = writeNotebook(
    dir,
    'deno.ipynb',
    [
      [['step:load'], "const n = Number(await Deno.readTextFile('data/x.txt'));"],
      [['step:report', 'prev:load'], 'const score = n * 10;'],
      [['pipeline-metrics'], 'score']
    ],
    'deno'
  );
  const first = await runNotebook(path);
  assert.equal(first.status, 'succeeded', JSON.stringify(first.steps));
  assert.equal(first.metrics.score, 20);
  writeFileSync(join(dir, 'data', 'x.txt'), '3');
  const edited = await runNotebook(path);
  assert.equal(edited.steps.load.cached, false);
  assert.equal(edited.metrics.score, 30);

  const race = writeNotebook(
    dir,
    'race.ipynb',
    [
      [['step:write'], "await Deno.writeTextFile('made.txt', '5');\nconst a = 1;"],
      [['step:read'], "let b = 0;\ntry { b = Number(await Deno.readTextFile('made.txt')); } catch { b = -1; }"],
      [['step:report', 'prev:write', 'prev:read'], 'const score = a + b;'],
      [['pipeline-metrics'], 'score']
    ],
    'deno'
  );
  const refused = await runNotebook(race);
  assert.equal(refused.status, 'failed');
  const failed = refused.stepOrder.find(s => refused.steps[s].status === 'failed')!;
  assert.equal(refused.steps[failed].error!.code, 'file-read-from-unrelated-step', JSON.stringify(refused.steps));
});

test('a reader of a file its upstream step writes runs again when that step does, with no value between them', async () => {
  const dir = makeWorkspace('file-access-upstream-');
  const path = writeNotebook(dir, 'upstream.ipynb', [
    [['imports'], "import { readFileSync, writeFileSync } from 'node:fs';"],
    [['pipeline-parameters'], 'const size = 40;'],
    [['step:write'], "writeFileSync('made.txt', String(size));"],
    [['step:read', 'prev:write'], "const score = Number(readFileSync('made.txt', 'utf8')) + 1;"],
    [['pipeline-metrics'], 'score']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.metrics.score, 41, JSON.stringify(first.steps));
  const second = await runNotebook(path, { overrides: { size: '50' } });
  assert.equal(second.status, 'succeeded', JSON.stringify(second.steps));
  assert.equal(second.steps.read.cached, false, 'the file it reads is new');
  assert.equal(second.metrics.score, 51);
});

test('a refused step is not cached: with the dependency added, the reader reads the file the writer wrote', async () => {
  const dir = makeWorkspace('file-access-refused-');
  writeFileSync(join(dir, 'shared.txt'), 'old');
  const cells = (readerTags: string[]) =>
    [
      [['imports'], "import { readFileSync, writeFileSync } from 'node:fs';"],
      [['step:write'], "writeFileSync('shared.txt', 'new');\nconst a = 1;"],
      [readerTags, "const seen = readFileSync('shared.txt', 'utf8');\nconst b = seen === 'new' ? 10 : 20;"],
      [['step:report', 'prev:write', 'prev:read'], 'const score = a + b;'],
      [['pipeline-metrics'], 'score']
    ] as [string[], string][];
  const path = writeNotebook(dir, 'refused.ipynb', cells(['step:read']));
  const refused = await runNotebook(path);
  assert.equal(refused.status, 'failed', JSON.stringify(refused.steps));
  writeNotebook(dir, 'refused.ipynb', cells(['step:read', 'prev:write']));
  const fixed = await runNotebook(path);
  assert.equal(fixed.status, 'succeeded', JSON.stringify(fixed.steps));
  assert.equal(fixed.steps.read.cached, false);
  assert.equal(fixed.metrics.score, 11, 'as in the notebook: the reader sees the file the writer wrote');
});

test('a reader cached before the race showed is dropped from the cache when its writer finishes', async () => {
  const dir = makeWorkspace('file-access-drop-');
  writeFileSync(join(dir, 'shared.txt'), 'old');
  const cells = (writer: string) =>
    [
      [['imports'], "import { readFileSync, writeFileSync } from 'node:fs';"],
      [['step:write'], writer],
      [['step:read'], "const b = readFileSync('shared.txt', 'utf8') === 'old' ? 10 : 20;"],
      [['step:report', 'prev:write', 'prev:read'], 'const score = a + b;'],
      [['pipeline-metrics'], 'score']
    ] as [string[], string][];
  const path = writeNotebook(
    dir,
    'drop.ipynb',
    cells("await new Promise(r => setTimeout(r, 1500));\nwriteFileSync('shared.txt', 'new');\nconst a = 1;")
  );
  const refused = await runNotebook(path);
  assert.equal(refused.status, 'failed', JSON.stringify(refused.steps));
  assert.equal(refused.steps.read.status, 'succeeded', 'the reader finished first');
  assert.equal(refused.steps.write.error?.code, 'file-read-from-unrelated-step');
  // The writer no longer writes the file: the reader's earlier result must not come from the cache.
  writeNotebook(dir, 'drop.ipynb', cells('const a = 2;'));
  const fixed = await runNotebook(path);
  assert.equal(fixed.status, 'succeeded', JSON.stringify(fixed.steps));
  assert.equal(fixed.steps.read.cached, false, 'its result raced a write: it was not kept');
  assert.equal(fixed.metrics.score, 12);
});
