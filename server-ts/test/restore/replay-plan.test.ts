/** The replay plan on cell facts: the fewest cells that recompute what could not be saved, or why not. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planReplay, type ReplayCell } from '../../src/restore/replay-plan.js';

const cell = (cellIndex: number, writes: string[], reads: string[] = []): ReplayCell => ({ cellIndex, writes, reads });

test('a closure over restored values is recomputed by its own cell alone', () => {
  const plan = planReplay({
    cells: [cell(2, ['total'], ['rows']), cell(3, ['f'], ['total']), cell(4, ['shifted'], ['rows', 'f'])],
    restored: new Set(['rows', 'total', 'shifted']),
    prelude: new Set(),
    unsaved: ['f']
  });
  assert.deepEqual(plan, { cells: [3], names: ['f'], notRestored: [] });
});

test('a chain of unsaved values replays each maker, in notebook order', () => {
  const plan = planReplay({
    cells: [cell(1, ['make'], ['helper']), cell(2, ['other'], []), cell(5, ['handler'], ['make', 'data'])],
    restored: new Set(['data', 'other']),
    prelude: new Set(['helper']),
    unsaved: ['handler', 'make']
  });
  assert.deepEqual(plan.cells, [1, 5]);
  assert.deepEqual(plan.names.sort(), ['handler', 'make']);
  assert.deepEqual(plan.notRestored, []);
});

test('a cell that also changes a restored value is not replayed (model.fit would train again)', () => {
  const plan = planReplay({
    cells: [cell(3, ['model', 'callback'], ['model'])],
    restored: new Set(['model']),
    prelude: new Set(),
    unsaved: ['callback']
  });
  assert.deepEqual(plan.cells, []);
  assert.equal(plan.notRestored.length, 1);
  assert.equal(plan.notRestored[0]!.name, 'callback');
  assert.match(plan.notRestored[0]!.reason, /run cell 4 yourself: it also changes `model`/);
});

test('a value whose maker needs an unrecoverable one is not restored, and says which', () => {
  const plan = planReplay({
    cells: [cell(1, ['model', 'socket'], []), cell(2, ['onData'], ['socket'])],
    restored: new Set(['model']),
    prelude: new Set(),
    unsaved: ['socket', 'onData']
  });
  assert.deepEqual(plan.cells, []);
  assert.deepEqual(
    plan.notRestored.map(n => n.name),
    ['socket', 'onData']
  );
  assert.match(plan.notRestored[1]!.reason, /needs `socket`/);
});

test('every cell that writes a value is replayed, mutations included', () => {
  const plan = planReplay({
    cells: [cell(1, ['log'], []), cell(2, ['x'], ['log']), cell(3, ['log'], ['log'])],
    restored: new Set(['x']),
    prelude: new Set(),
    unsaved: ['log']
  });
  assert.deepEqual(plan.cells, [1, 3]);
});
