/** A cell that does not parse is reported, and every other cell is still checked in full. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { notebookJson } from '../notebooks.js';

test('a parse error in one cell leaves the checks of the others on', () => {
  const notebook = notebookJson([
    [['imports'], "import { join } from 'node:path';"],
    // Does not parse; it would define `table`, `rows` and `first`, which later cells read.
    [['step:load'], 'const table = [1, 2,, 3;\nlet { rows, first } = { rows: 1, first: 2 };'],
    [['step:use', 'prev:load'], 'const size = table.length + rows + first + missingName;\nconst p = join("a", "b");'],
    [['step:other'], '$$.html("<b>hi</b>");']
  ]);
  const codes = analyzeNotebook(notebook).ir.diagnostics.map(d => [
    d.code,
    d.cellIndex,
    d.message.match(/`(\w+|\$\$)`/g)
  ]);
  assert.deepEqual(
    codes.map(([code, cell]) => [code, cell]),
    [
      ['parse-error', 1],
      ['undefined-variable', 2],
      ['kernel-global-unavailable', 3]
    ]
  );
  assert.match(JSON.stringify(codes[1]), /missingName/);
});
