/**
 * Analysis of hostile cells has limits: nesting that would crash the native parser or overflow the analysis
 * walks is one coded error on its cell, and every other cell is still checked.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { deepestNesting, MAX_NESTING, MAX_OPERATOR_CHAIN } from '../../src/analyze/source.js';
import { makeWorkspace, notebookJson, writeNotebook } from '../notebooks.js';
import { runNotebook } from '../engine/helpers.js';

const HOSTILE: Record<string, string> = {
  'nested parentheses': `const x = ${'('.repeat(8000)}1${')'.repeat(8000)};`,
  'nested arrays': `const x = ${'['.repeat(20000)}${']'.repeat(20000)};`,
  'nested objects': `const x = ${'{a:'.repeat(5000)}1${'}'.repeat(5000)};`,
  'nested blocks': `let x = 1;\n${'if (x) {'.repeat(3000)}x++;${'}'.repeat(3000)}`,
  'nested template literals': `const x = ${'`${'.repeat(3000)}1${'}`'.repeat(3000)};`,
  'a long operator chain': `const x = ${'1+'.repeat(100000)}1;`,
  'a long unary chain': `const x = ${'!'.repeat(100000)}1;`,
  'a long member chain': `const x = globalThis${'.a'.repeat(60000)};`
};

for (const [shape, source] of Object.entries(HOSTILE)) {
  test(`${shape}: one cell-too-deep error, and the other cells are still checked`, () => {
    const notebook = notebookJson([
      [['step:hostile'], source],
      [['step:after', 'prev:hostile'], 'const y = notDefinedAnywhere + 1;']
    ]);
    const { diagnostics } = analyzeNotebook(notebook).ir;
    const deep = diagnostics.filter(d => d.code === 'cell-too-deep');
    assert.equal(deep.length, 1, JSON.stringify(diagnostics.map(d => d.code)));
    assert.equal(deep[0]!.cellIndex, 0);
    assert.ok(diagnostics.some(d => d.code === 'undefined-variable' && d.cellIndex === 1));
  });
}

test('cells up to the limits analyze, compile and run', async () => {
  const depth = MAX_NESTING - 5;
  const chain = MAX_OPERATOR_CHAIN - 5;
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'limits.ipynb', [
    [['step:a'], `const x = ${'('.repeat(depth)}1${')'.repeat(depth)};`],
    [
      ['step:b', 'prev:a'],
      // Nested arrow functions with block bodies: what V8 gave way on inside acorn, well past this depth.
      `const f = ${'(() => { return '.repeat(depth / 2 - 2)}x${'; })'.repeat(depth / 2 - 2)};\n` +
        `const y = x${'+1'.repeat(chain)};\nconst z = ${'!'.repeat(chain)}y;\nconst w = ({ a: 1 })${'.a'.repeat(1)};`
    ],
    [['pipeline-metrics'], 'y;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps));
  assert.equal(record.metrics.y, 1 + chain);
});

test('brackets in strings, comments, regular expressions and template text do not count', () => {
  const many = '('.repeat(5000);
  const source = [
    `const a = '${many}';`,
    `const b = "${many}";`,
    `// ${many}`,
    `/* ${many} */`,
    `const c = \`${many} \${1 + 1} ${many}\`;`,
    `const d = ${'+'.repeat(10)}1;`
  ].join('\n');
  assert.equal(deepestNesting(source, 100), undefined);
  assert.equal(deepestNesting(`${'['.repeat(101)}`, 100)?.offset, 100);
});
