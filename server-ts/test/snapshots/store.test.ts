/** The snapshot store on real files in temp folders: round trips, the stat cache, corruption, exclusions. */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
  chmodSync as chmod
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { listSnapshots, materialize, snapshotWorkspace } from '../../src/snapshots/index.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { countingFs, tempWorkspace, writeFiles } from './helpers.js';

const codeOf = (error: unknown) => (error as CellflowError).diagnostic?.code;

test('a snapshot restores every file with its bytes and mode, and links as links', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.txt': 'alpha', 'data/b.bin': '\u0000\u0001bytes', 'data/deep/c.sh': '#!/bin/sh\necho hi\n' });
  chmodSync(join(ws, 'data/deep/c.sh'), 0o755);
  chmodSync(join(ws, 'a.txt'), 0o600);
  symlinkSync('data/b.bin', join(ws, 'link'));
  const snap = await snapshotWorkspace(ws);
  assert.equal(snap.files, 3);
  assert.equal(snap.bytesTotal, 5 + 7 + 18);
  assert.ok(snap.created);

  const out = join(tempWorkspace('out-'), 'restored');
  const restored = await materialize(ws, snap.id, out);
  assert.equal(restored.files, 3);
  assert.equal(readFileSync(join(out, 'a.txt'), 'utf8'), 'alpha');
  assert.equal(readFileSync(join(out, 'data/b.bin'), 'utf8'), '\u0000\u0001bytes');
  assert.equal(lstatSync(join(out, 'data/deep/c.sh')).mode & 0o777, 0o755);
  assert.equal(lstatSync(join(out, 'a.txt')).mode & 0o777, 0o600);
  assert.equal(readlinkSync(join(out, 'link')), 'data/b.bin');
  const drift = Math.abs(lstatSync(join(out, 'a.txt')).mtimeMs - lstatSync(join(ws, 'a.txt')).mtimeMs);
  assert.ok(drift < 0.01, `mtimes restored (${drift} ms apart)`);
  assert.ok(!existsSync(join(out, '.cellflow')), 'the store itself is never in a snapshot');

  const again = await snapshotWorkspace(ws);
  assert.equal(again.id, snap.id, 'an unchanged workspace snapshots to the same id');
  assert.equal(again.created, false);
  assert.deepEqual(
    listSnapshots(ws).map(s => s.id),
    [snap.id]
  );
});

test('unchanged files are neither read nor stored again (stat cache)', async () => {
  const ws = tempWorkspace();
  const files: Record<string, string> = {};
  for (let i = 0; i < 20; i++) files[`f${i}.txt`] = `file ${i} `.repeat(100);
  writeFiles(ws, files);
  const first = countingFs();
  const one = await snapshotWorkspace(ws, { fs: first.fs });
  assert.equal(first.opened.filter(p => !p.includes('.cellflow')).length, 20);
  assert.equal(one.statCacheHits, 0);

  writeFiles(ws, { 'f3.txt': 'changed' });
  const second = countingFs();
  const two = await snapshotWorkspace(ws, { fs: second.fs });
  assert.deepEqual(
    second.opened.filter(p => !p.includes('.cellflow')),
    [join(ws, 'f3.txt')],
    'only the changed file is read'
  );
  assert.equal(two.statCacheHits, 19);
  assert.equal(
    two.bytesNew - two.manifestBytes,
    'changed'.length,
    'only the changed file is stored, beside a manifest'
  );
  assert.ok(two.manifestBytes > 0);
  assert.notEqual(two.id, one.id);
});

test('a file written the instant of the snapshot is not trusted to the stat cache (racy)', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'fresh.txt': 'one' }, 0);
  await snapshotWorkspace(ws);
  const counting = countingFs();
  const two = await snapshotWorkspace(ws, { fs: counting.fs });
  assert.equal(two.statCacheHits, 0);
  assert.deepEqual(
    counting.opened.filter(p => !p.includes('.cellflow')),
    [join(ws, 'fresh.txt')]
  );
});

test('a corrupted object is refused, naming the file, and nothing is restored', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'ok.txt': 'fine', 'model/weights.bin': 'weights weights' });
  const snap = await snapshotWorkspace(ws);
  const layout = new StoreLayout(ws);
  const shard = readdirSync(layout.objectsDir()).find(s =>
    readdirSync(join(layout.objectsDir(), s)).some(
      o => readFileSync(join(layout.objectsDir(), s, o), 'utf8') === 'weights weights'
    )
  )!;
  const object = join(layout.objectsDir(), shard, readdirSync(join(layout.objectsDir(), shard))[0]);
  chmod(object, 0o644);
  writeFileSync(object, 'weights weighTs');
  const out = join(tempWorkspace('out-'), 'restored');
  await assert.rejects(materialize(ws, snap.id, out), (error: unknown) => {
    assert.equal(codeOf(error), 'snapshot-object-corrupt');
    assert.match((error as Error).message, /`model\/weights\.bin` of snapshot/);
    return true;
  });
  assert.ok(!existsSync(out), 'no half-restored folder');
  assert.deepEqual(readdirSync(join(out, '..')), [], 'no staging folder left');
});

test('an unknown or ambiguous id and a non-empty target are coded errors', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.txt': 'a' });
  const snap = await snapshotWorkspace(ws);
  await assert.rejects(materialize(ws, 'ffffffff', join(ws, 'x')), e => codeOf(e) === 'unknown-snapshot');
  const full = tempWorkspace('out-');
  writeFileSync(join(full, 'there.txt'), '');
  await assert.rejects(materialize(ws, snap.id.slice(0, 8), full), e => codeOf(e) === 'restore-target-not-empty');
});

test('.gitignore and .cellflowignore exclusions, plus extra patterns', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, {
    '.gitignore': '*.log\nbuild/\n!keep.log\n',
    '.cellflowignore': 'secrets/**\n',
    'app.js': 'x',
    'debug.log': 'noise',
    'keep.log': 'kept',
    'build/out.js': 'built',
    'src/build.js': 'not the build folder',
    'secrets/key': 'k',
    'scratch/tmp.dat': 't'
  });
  const snap = await snapshotWorkspace(ws, { exclude: ['scratch/'] });
  const out = join(tempWorkspace('out-'), 'r');
  await materialize(ws, snap.id, out);
  const listed = (dir: string, prefix = ''): string[] =>
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap(d =>
      d.isDirectory() ? listed(dir, join(prefix, d.name)) : [join(prefix, d.name)]
    );
  assert.deepEqual(listed(out).sort(), ['.cellflowignore', '.gitignore', 'app.js', 'keep.log', 'src/build.js']);
});

test('node_modules is recorded by its lockfile hash, not copied', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, {
    'package.json': '{}',
    'package-lock.json': '{"lockfileVersion":3}',
    'node_modules/left-pad/index.js': 'module.exports = 1',
    'sub/deno.lock': '{"version":"4"}',
    'sub/node_modules/x/y.js': 'y'
  });
  const counting = countingFs();
  const snap = await snapshotWorkspace(ws, { fs: counting.fs });
  assert.ok(!counting.opened.some(p => p.includes('node_modules')), 'nothing under node_modules is read');
  assert.equal(snap.files, 3);
  const out = join(tempWorkspace('out-'), 'r');
  const restored = await materialize(ws, snap.id, out);
  assert.deepEqual(restored.packages, [
    { path: 'node_modules', lockfile: 'package-lock.json' },
    { path: 'sub/node_modules', lockfile: 'sub/deno.lock' }
  ]);
  assert.ok(!existsSync(join(out, 'node_modules')));

  // A changed lockfile changes the snapshot even though node_modules is not read.
  writeFiles(ws, { 'package-lock.json': '{"lockfileVersion":3,"packages":{}}' });
  const after = await snapshotWorkspace(ws);
  assert.notEqual(after.id, snap.id);
});

test('a snapshot taken before an edit keeps the old bytes (the store copies, it does not link)', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'params.json': '{"lr":0.1}' });
  const before = await snapshotWorkspace(ws);
  writeFileSync(join(ws, 'params.json'), '{"lr":0.9}');
  const out = join(tempWorkspace('out-'), 'r');
  await materialize(ws, before.id, out);
  assert.equal(readFileSync(join(out, 'params.json'), 'utf8'), '{"lr":0.1}');
});

test("a folder inside the state (a step's outputs) snapshots into the workspace's store", async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'nb.ipynb': '{}', '.cellflow/runs/r1/steps/train/outputs/model.v8': 'weights' });
  const stepDir = join(ws, '.cellflow/runs/r1/steps/train');
  const snap = await snapshotWorkspace(stepDir, { storeIn: ws });
  assert.equal(snap.files, 1);
  assert.ok(!existsSync(join(stepDir, '.cellflow')), 'no store inside the step folder');
  const out = join(tempWorkspace('out-'), 'r');
  await materialize(ws, snap.id, out);
  assert.equal(readFileSync(join(out, 'outputs/model.v8'), 'utf8'), 'weights');
});
