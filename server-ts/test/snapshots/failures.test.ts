/** A full disk mid-snapshot, and garbage collection keeping exactly what is referenced. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { gc, listSnapshots, materialize, pin, realFs, snapshotWorkspace, unpin } from '../../src/snapshots/index.js';
import { decodeManifest } from '../../src/snapshots/manifest.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { ownTemps } from '../../src/snapshots/temp-sweep.js';
import { smallDiskFs, tempWorkspace, writeFiles } from './helpers.js';

const codeOf = (error: unknown) => (error as CellflowError).diagnostic?.code;

/** Every manifest in the store names only objects that are there. */
function assertConsistent(ws: string): void {
  const layout = new StoreLayout(ws);
  if (!existsSync(layout.manifestsDir())) return;
  for (const name of readdirSync(layout.manifestsDir())) {
    const manifest = decodeManifest(readFileSync(join(layout.manifestsDir(), name)));
    for (const e of manifest.entries)
      if (e.kind === 'file') assert.ok(existsSync(layout.object(e.hash)), `${name} names a missing ${e.path}`);
  }
}

test('a full disk mid-snapshot fails with a coded error and leaves the store consistent', async () => {
  const ws = tempWorkspace();
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`f${i}.dat`] = String(i).repeat(1000);
  writeFiles(ws, files);
  const first = await snapshotWorkspace(ws, { only: ['f0.dat'] });
  for (const budget of [0, 1500, 4500, 8999]) {
    await assert.rejects(snapshotWorkspace(ws, { fs: smallDiskFs(budget) }), (error: unknown) => {
      assert.equal(codeOf(error), 'snapshot-disk-full', String(error));
      assert.match((error as Error).message, /the disk is full \(ENOSPC\)/);
      return true;
    });
    assertConsistent(ws);
    assert.deepEqual(ownTemps(realFs, new StoreLayout(ws)), [], `temp files removed (budget ${budget})`);
    assert.deepEqual(
      listSnapshots(ws).map(s => s.id),
      [first.id],
      'no new manifest'
    );
  }
  // The disk has room again: the snapshot completes and restores.
  const snap = await snapshotWorkspace(ws);
  const out = join(tempWorkspace('out-'), 'r');
  assert.equal((await materialize(ws, snap.id, out)).files, 10);
});

test('a full disk while writing the manifest leaves no manifest', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.dat': 'a'.repeat(2000) });
  // Room for the object (2,000 bytes) but not the manifest after it.
  await assert.rejects(snapshotWorkspace(ws, { fs: smallDiskFs(2050) }), e => codeOf(e) === 'snapshot-disk-full');
  assertConsistent(ws);
  assert.deepEqual(listSnapshots(ws), []);
  assert.deepEqual(ownTemps(realFs, new StoreLayout(ws)), []);
});

test('gc keeps what runs, experiments and pins reference, and removes the rest', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'shared.txt': 'shared', 'v.txt': 'v1' });
  const byRun = await snapshotWorkspace(ws);
  writeFiles(ws, { 'v.txt': 'v2' });
  const byStep = await snapshotWorkspace(ws);
  writeFiles(ws, { 'v.txt': 'v3' });
  const byExperiment = await snapshotWorkspace(ws);
  writeFiles(ws, { 'v.txt': 'v4' });
  const pinned = await snapshotWorkspace(ws);
  writeFiles(ws, { 'v.txt': 'v5-unreferenced' });
  const loose = await snapshotWorkspace(ws);

  const run = join(ws, '.cellflow', 'runs', 'r1');
  mkdirSync(run, { recursive: true });
  writeFileSync(
    join(run, 'run.json'),
    JSON.stringify({ id: 'r1', snapshot: byRun.id, steps: { train: { status: 'succeeded', snapshot: byStep.id } } })
  );
  mkdirSync(join(ws, '.cellflow', 'runs', 'r2-starting'), { recursive: true }); // no record yet
  const experiment = join(ws, '.cellflow', 'experiments', 'e1', 'trials');
  mkdirSync(experiment, { recursive: true });
  writeFileSync(join(experiment, '3.json'), JSON.stringify({ best: { snapshot: byExperiment.id } }));
  pin(ws, pinned.id.slice(0, 10));

  const dry = gc(ws, { dryRun: true, graceMs: 0 });
  assert.deepEqual(dry.removedSnapshots, [loose.id]);
  assert.equal(dry.removedObjects, 1, 'only v5 is unreferenced');
  assert.equal(dry.removedBytes, 'v5-unreferenced'.length);
  assert.equal(listSnapshots(ws).length, 5, 'a dry run removes nothing');

  const report = gc(ws, { graceMs: 0 });
  assert.deepEqual(report.kept, [byRun.id, byStep.id, byExperiment.id, pinned.id].sort());
  assert.deepEqual(report.removedSnapshots, [loose.id]);
  assertConsistent(ws);
  for (const id of report.kept) await materialize(ws, id, join(tempWorkspace('out-'), 'r'));

  // Unpinned, the pinned one goes too; its objects shared with kept snapshots stay.
  unpin(ws, pinned.id);
  const second = gc(ws, { graceMs: 0 });
  assert.deepEqual(second.removedSnapshots, [pinned.id]);
  assert.equal(second.removedObjects, 1);
  assertConsistent(ws);
});

test('gc keeps young unreferenced snapshots (one being taken) and stops on an unreadable record', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.txt': 'a' });
  await snapshotWorkspace(ws);
  const report = gc(ws);
  assert.deepEqual(report.removedSnapshots, []);
  assert.equal(report.young, 1, 'the manifest (its object is kept as one it names)');

  const run = join(ws, '.cellflow', 'runs', 'torn');
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, 'run.json'), '{"id": "torn", "snaps');
  assert.throws(
    () => gc(ws, { graceMs: 0 }),
    (e: unknown) => codeOf(e) === 'gc-references-unreadable'
  );
  assert.equal(listSnapshots(ws).length, 1, 'nothing removed');
});

test("after gc removes an unchanged file's only object, the next snapshot stores it again", async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'kept.txt': 'same all along' });
  await snapshotWorkspace(ws);
  const report = gc(ws, { graceMs: 0 });
  assert.equal(report.removedObjects, 1);
  const again = await snapshotWorkspace(ws);
  assert.equal(again.statCacheHits, 0, 'the stat cache no longer vouches for the removed object');
  assertConsistent(ws);
  const out = join(tempWorkspace('out-'), 'r');
  assert.equal((await materialize(ws, again.id, out)).files, 1);
});
