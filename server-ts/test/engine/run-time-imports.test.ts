/**
 * An import the preflight cannot see (a helper that imports a computed name, as the XOR example's `importESM`
 * does) fails while the step runs; a package that is not installed is still reported as one, with the
 * install command, and a missing file of the notebook's own stays the cell's error.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

const loader: [string[], string] = [
  ['functions'],
  'async function load(name: string): Promise<any> {\n  return import(name);\n}'
];

for (const [specifier, packageName] of [
  ['no-such-package-cellflow', 'no-such-package-cellflow'],
  ['@no-such-scope/cellflow/sub/path.js', '@no-such-scope/cellflow']
] as const) {
  test(`a package a helper imports at run time that is not installed (${specifier}) says how to install it`, async () => {
    const dir = makeWorkspace('run-time-import-');
    const path = writeNotebook(dir, 'n.ipynb', [
      loader,
      [['step:fetch'], `const lib = await load(${JSON.stringify(specifier)});\nconst answer = 1;`],
      [['step:use', 'prev:fetch'], 'console.log(answer);']
    ]);
    const record = await runNotebook(path);
    assert.equal(record.status, 'failed');
    const failure = record.steps.fetch!.error!;
    assert.equal(failure.code, 'missing-package');
    assert.equal(failure.cellIndex, 1);
    assert.match(failure.message, new RegExp(`loads the package \`${packageName.replace('/', '\\/')}\``));
    assert.ok(failure.hint?.includes(`npm install ${packageName}`), failure.hint);
  });
}

test("a missing file of the notebook's own, imported at run time, stays the cell's error", async () => {
  const dir = makeWorkspace('run-time-import-');
  const path = writeNotebook(dir, 'n.ipynb', [
    loader,
    [['step:fetch'], `const lib = await load(${JSON.stringify(`${dir}/missing-helper.mjs`)});\nconst answer = 1;`]
  ]);
  const record = await runNotebook(path);
  const failure = record.steps.fetch!.error!;
  assert.equal(failure.code, 'cell-threw');
  assert.match(failure.message, /missing-helper\.mjs/);
});
