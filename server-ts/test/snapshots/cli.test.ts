/** `cellflow snapshots`, `pin`, `unpin` and `gc` over a real store. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { snapshotWorkspace } from '../../src/snapshots/index.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { cli } from '../engine/helpers.js';
import { tempWorkspace, writeFiles } from './helpers.js';

test('snapshots lists, pin keeps through gc, gc --dry-run only reports', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.txt': 'one' });
  const first = await snapshotWorkspace(ws);
  writeFiles(ws, { 'a.txt': 'two' });
  const second = await snapshotWorkspace(ws);

  const listed = cli(['snapshots', ws, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map(s => s.id).sort(), [first.id, second.id].sort());
  assert.match(cli(['snapshots', ws]).stdout, new RegExp(first.id.slice(0, 16)));

  const pinned = cli(['pin', first.id.slice(0, 8), '--dir', ws, '--json']);
  assert.equal(pinned.code, 0, pinned.stderr);
  assert.deepEqual(JSON.parse(pinned.stdout), { pinned: first.id });

  // Fresh snapshots are young (a run may be taking one), so the CLI's gc keeps them; the report says so.
  const dry = cli(['gc', ws, '--dry-run', '--json']);
  assert.equal(dry.code, 0, dry.stderr);
  const report = JSON.parse(dry.stdout) as { dryRun: boolean; kept: string[]; removedSnapshots: string[] };
  assert.equal(report.dryRun, true);
  assert.deepEqual(report.kept, [first.id]);
  assert.deepEqual(report.removedSnapshots, []);
  assert.match(
    cli(['gc', ws]).stdout,
    /^Removed 0 snapshot\(s\) .* kept 1 referenced snapshot\(s\) and \d+ taken in the last hour\./
  );

  assert.equal(cli(['unpin', first.id, '--dir', ws]).code, 0);
  assert.deepEqual(
    (JSON.parse(cli(['snapshots', ws, '--json']).stdout) as { pinned: boolean }[]).map(s => s.pinned),
    [false, false]
  );
});

test('an unknown snapshot and a damaged pins file are coded errors, not stack traces', async () => {
  const ws = tempWorkspace();
  writeFiles(ws, { 'a.txt': 'one' });
  await snapshotWorkspace(ws);
  const unknown = cli(['pin', 'deadbeef', '--dir', ws]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error unknown-snapshot: There is no snapshot `deadbeef`/);
  writeFileSync(new StoreLayout(ws).pins(), '{not json');
  const damaged = cli(['gc', ws, '--json']);
  assert.equal(damaged.code, 2);
  assert.equal((JSON.parse(damaged.stdout) as { error: { code: string } }).error.code, 'damaged-snapshot-pins');
  assert.doesNotMatch(damaged.stderr + damaged.stdout, /^\s+at /m);
});
