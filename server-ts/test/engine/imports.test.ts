/**
 * Imports as notebooks write them: local TypeScript modules by `.ts` or extensionless paths (tslab resolves
 * both), type-only names in value imports, the same name imported in two cells of a step, and imports laid
 * out over lines with comments, JSX. Each runs as a pipeline with the straight run's results.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { runStraightThrough } from '../../src/engine/local/straight-run.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

async function sameAsStraightRun(path: string, expected: Record<string, number>): Promise<void> {
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps, null, 1));
  assert.deepEqual(record.metrics, expected);
  const analysis = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
  const straight = await runStraightThrough(analysis, path);
  assert.equal(straight.exitCode, 0, straight.stderr);
  assert.deepEqual(straight.metrics, expected);
}

test('local .ts modules, by extension or none, with type-only names in value imports', async () => {
  const dir = makeWorkspace();
  writeFileSync(
    join(dir, 'shapes.ts'),
    "export interface Square { side: number }\nexport type Unit = 'cm' | 'm';\n" +
      'export const area = (s: Square): number => s.side * s.side;\n'
  );
  writeFileSync(
    join(dir, 'scale.ts'),
    "import { area, type Square } from './shapes';\nexport const twice = (s: Square) => 2 * area(s);\n"
  );
  const path = writeNotebook(dir, 'local-ts.ipynb', [
    [['imports'], "import { area, type Square, Unit } from './shapes';\nimport * as scale from './scale.ts';"],
    [['step:make'], "const square: Square = { side: 3 };\nconst unit: Unit = 'cm';"],
    [['step:measure', 'prev:make'], 'const size = area(square) + scale.twice(square) + unit.length;'],
    [['pipeline-metrics'], 'size;']
  ]);
  await sameAsStraightRun(path, { size: 9 + 18 + 2 });
});

test('the same name imported in two cells of one step, and imports over lines with comments', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'imports.ipynb', [
    [
      ['step:paths'],
      "import {\n  join, // joins parts\n  basename /* the last part */,\n} from 'node:path'; // path helpers\nconst joined = join('a', 'b');"
    ],
    [
      [],
      "import { join, dirname } from 'node:path';\nconst parts = basename(join(joined, 'c')).length + dirname(joined).length;"
    ],
    [['pipeline-metrics'], 'parts;']
  ]);
  await sameAsStraightRun(path, { parts: 2 });
});

test('names a step cannot have are refused at analysis, with the cell and line', () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'names.ipynb', [
    [['step:a'], 'const ok = 1;\nvar __proto__ = 5;\nconst __cellflowState = 2;'],
    [['step:b', 'prev:a'], 'const n = ok + __proto__ + __cellflowState;']
  ]);
  const { diagnostics } = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json).ir;
  const reserved = diagnostics.filter(d => d.code === 'reserved-name');
  assert.deepEqual(
    reserved.map(d => [d.cellIndex, d.line]),
    [
      [0, 2],
      [0, 3]
    ]
  );
  assert.match(reserved[0]!.message, /__proto__/);
});

test('JSX in tslab and Deno cells parses, analyzes (components and React are reads) and runs', async () => {
  for (const kernel of ['tslab', 'deno'] as const) {
    const dir = makeWorkspace(`jsx-${kernel}-`);
    const path = writeNotebook(
      dir,
      'jsx.ipynb',
      [
        [
          ['imports'],
          'const React = {\n  createElement: (type: unknown, props: unknown, ...children: unknown[]) => ({ type, props, children }),\n  Fragment: "fragment"\n};'
        ],
        [
          ['step:render'],
          'const Item = ({ label }: { label: string }) => <li className="item">{label}</li>;\nconst labels = ["a", "bb"];\nconst tree = <ul id="list">{labels.map(l => <Item label={l} />)}<>{"end"}</></ul>;\nconst summary = JSON.stringify(tree);'
        ],
        [['step:measure', 'prev:render'], 'const size = summary.length;'],
        [['pipeline-metrics'], 'size;']
      ],
      kernel
    );
    const record = await runNotebook(path);
    assert.equal(record.status, 'succeeded', `${kernel}: ${JSON.stringify(record.steps, null, 1)}`);
    const analysis = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
    const straight = await runStraightThrough(analysis, path);
    assert.equal(straight.exitCode, 0, straight.stderr);
    assert.deepEqual(record.metrics, straight.metrics, kernel);
    assert.ok(record.metrics.size! > 50);
  }
  const missing = writeNotebook(makeWorkspace(), 'jsx-missing.ipynb', [
    [['step:a'], 'const el = <Missing value={1} />;']
  ]);
  const codes = analyzeNotebook(parseNotebook(readFileSync(missing, 'utf8')).json).ir.diagnostics.map(d => [
    d.code,
    d.message.match(/`(React|Missing)`/)?.[1]
  ]);
  assert.deepEqual(codes, [
    ['undefined-variable', 'React'],
    ['undefined-variable', 'Missing']
  ]);
});
