/** gc and a snapshot being taken exclude each other (one lock on the store); nested ignore files apply to their subtree. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { gc, materialize, snapshotWorkspace } from '../../src/snapshots/index.js';
import { realFs } from '../../src/snapshots/snapshot-fs.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { withStoreLock } from '../../src/snapshots/store-lock.js';
import { tempWorkspace, writeFiles } from './helpers.js';

const codeOf = (error: unknown) => (error as CellflowError).diagnostic?.code;

test('gc refuses while a snapshot holds the store, removes nothing, and runs once it is released', async () => {
  const ws = tempWorkspace('lock-');
  writeFiles(ws, { 'a.txt': 'first' });
  const old = await snapshotWorkspace(ws); // unreferenced: gc would remove it
  const layout = new StoreLayout(ws);
  let release!: () => void;
  const holding = withStoreLock(realFs, layout, () => new Promise<void>(resolve => (release = resolve)));
  await new Promise(resolve => setTimeout(resolve, 20)); // the lock is taken before the callback runs
  assert.throws(
    () => gc(ws, { graceMs: 0 }),
    (error: unknown) => codeOf(error) === 'snapshot-store-busy'
  );
  assert.ok(existsSync(layout.manifest(old.id)), 'nothing was removed');
  // A snapshot waits for the lock rather than failing.
  const waiting = snapshotWorkspace(ws);
  release();
  await holding;
  assert.equal((await waiting).id, old.id);
  const report = gc(ws, { graceMs: 0 });
  assert.deepEqual(report.removedSnapshots, [old.id]);
});

test('.gitignore and .cellflowignore in subfolders apply to their subtree, deeper rules first', async () => {
  const ws = tempWorkspace('nested-');
  writeFiles(ws, {
    '.gitignore': 'secret/\n',
    'a.tmp': 'root tmp: the sub folder rule does not reach it',
    'sub/.gitignore': '*.tmp\n!keep.tmp\n/only-here.txt\n',
    'sub/a.tmp': 'ignored',
    'sub/keep.tmp': 'kept',
    'sub/only-here.txt': 'ignored (anchored to sub/)',
    'sub/deeper/only-here.txt': 'kept (anchored rule is for sub/ only)',
    'sub/deeper/b.tmp': 'ignored',
    'sub/deeper/.cellflowignore': '!b.tmp\n',
    'other/secret/x': 'ignored by the root rule',
    'other/.cellflowignore': 'y.txt\n',
    'other/y.txt': 'ignored',
    'y.txt': 'kept'
  });
  const snap = await snapshotWorkspace(ws);
  const out = join(tempWorkspace('out-'), 'r');
  await materialize(ws, snap.id, out);
  const listed = (dir: string, prefix = ''): string[] =>
    readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap(d =>
      d.isDirectory() ? listed(dir, join(prefix, d.name)) : [join(prefix, d.name)]
    );
  assert.deepEqual(listed(out).sort(), [
    '.gitignore',
    'a.tmp',
    'other/.cellflowignore',
    'sub/.gitignore',
    'sub/deeper/.cellflowignore',
    'sub/deeper/b.tmp',
    'sub/deeper/only-here.txt',
    'sub/keep.tmp',
    'y.txt'
  ]);
});
