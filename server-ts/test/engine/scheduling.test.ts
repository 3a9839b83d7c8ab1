/** The engine's order of work: ready steps come first, and a step started early never holds a slot they need. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

test('a ready step starts at once although a step started early fills the last slot', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'slots.ipynb', [
    // `slow` starts first (the longest path), `after` is started early while it runs and takes the second
    // slot, and `independent` is ready from the start: it must not wait for `slow`.
    [['step:slow'], 'await new Promise(resolve => setTimeout(resolve, 1500));\nconst a = 1;'],
    [['step:after', 'prev:slow'], 'const b = a + 1;'],
    [['step:independent'], 'const c = 3;']
  ]);
  const record = await runNotebook(path, { concurrency: 2 });
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  const { slow, independent } = record.steps;
  assert.ok(
    Date.parse(independent.startedAt!) < Date.parse(slow.finishedAt!),
    `independent started ${independent.startedAt}, slow finished ${slow.finishedAt}`
  );
});
