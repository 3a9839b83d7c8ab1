/** The local engine snapshots the workspace before each run and records it; gc keeps what run records name. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { gc, listSnapshots, materialize } from '../../src/snapshots/index.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { tempWorkspace } from './helpers.js';

test('a run records the workspace as it started; an edit made while it runs is not in that snapshot', async () => {
  const dir = makeWorkspace('snap-run-');
  writeFileSync(join(dir, 'params.json'), '{"rate":0.1}');
  const path = writeNotebook(dir, 'nb.ipynb', [
    [['step:read'], "import { readFileSync } from 'node:fs';\nconst text = readFileSync('params.json', 'utf8');"],
    [
      ['step:after', 'prev:read'],
      "import { writeFileSync } from 'node:fs';\nconst n = text.length;\nwriteFileSync('out.txt', String(n));"
    ]
  ]);
  const compiled = await compileNotebookFile(path);
  const engine = new LocalEngine(dirname(path));
  const handle = await engine.submit(compiled, { parameters: {} });
  writeFileSync(join(dir, 'params.json'), '{"rate":0.9}'); // edited while the run runs
  const record = await handle.done;
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps));
  assert.match(record.snapshot ?? '', /^[0-9a-f]{64}$/);
  assert.equal((await engine.get(record.id)).snapshot, record.snapshot, 'kept in run.json');

  const out = join(tempWorkspace('out-'), 'r');
  await materialize(dir, record.snapshot!, out);
  assert.equal(readFileSync(join(out, 'params.json'), 'utf8'), '{"rate":0.1}');
  assert.equal(readFileSync(join(out, 'nb.ipynb'), 'utf8'), readFileSync(path, 'utf8'));

  // Kept: the run's snapshot and each step's two (its folder, and the frozen copy after it), all in the record.
  const referenced = [
    ...new Set([
      record.snapshot!,
      ...Object.values(record.steps).flatMap(step => [step.snapshot!, step.workspaceSnapshot!])
    ])
  ].sort();
  assert.ok(
    referenced.every(id => /^[0-9a-f]{64}$/.test(id)),
    JSON.stringify(record.steps)
  );
  // The step that wrote out.txt has a workspace snapshot of its own, which gc must keep too.
  assert.notEqual(record.steps.after!.workspaceSnapshot, record.snapshot);
  const report = gc(dir, { graceMs: 0 });
  assert.deepEqual(report.kept, referenced);
  assert.deepEqual(
    listSnapshots(dir)
      .map(s => s.id)
      .sort(),
    referenced
  );
});
