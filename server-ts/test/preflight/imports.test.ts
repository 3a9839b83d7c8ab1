/**
 * The run-ability check: every import a cell does not guard resolves from the notebook's folder, as the
 * kernel would resolve it, or the run is refused before any step starts, naming the package, the cell and
 * line, and the install command.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { readNotebookFile } from '../../src/notebook/file.js';
import { checkRunnable } from '../../src/preflight/index.js';
import { cli } from '../engine/helpers.js';
import { writeNotebook, type CellSpec, type Kernel } from '../notebooks.js';
import { repoRoot, samplesRoot } from '../paths.js';

/** A folder outside the repository: no node_modules above it, as for a notebook a user keeps elsewhere. */
function outsideFolder(): string {
  return mkdtempSync(join(tmpdir(), 'cellflow-preflight-'));
}

async function check(dir: string, cells: CellSpec[], kernel: Kernel = 'tslab'): Promise<Diagnostic[]> {
  const path = writeNotebook(dir, 'nb.ipynb', cells, kernel);
  return checkRunnable(analyzeNotebook((await readNotebookFile(path)).json), path);
}

const brief = (ds: Diagnostic[]) => ds.map(d => `${d.code} ${d.cellIndex}:${d.line}:${d.column}`);

/** A package in the folder's node_modules, with an `exports` map. */
function installFakePackage(dir: string, name: string, exportsMap: Record<string, string>): void {
  const root = join(dir, 'node_modules', name);
  mkdirSync(root, { recursive: true });
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name, version: '1.0.0', type: 'module', exports: exportsMap })
  );
  for (const file of Object.values(exportsMap)) writeFileSync(join(root, file), 'export const x = 1;\n');
}

describe('imports resolve from the notebook folder', () => {
  test('a missing package names itself, the cell, the line, and the install command for that folder', async () => {
    const dir = outsideFolder();
    const ds = await check(dir, [
      [['imports'], "import * as fs from 'node:fs';\nimport path from 'path';\nimport { chunk } from 'lodash-es';"],
      [['step:a'], "const { scale } = await import('@acme/scaler/sub');\nconst y = 1;"],
      [['step:b', 'prev:a'], "const left = require('left-pad');\nconsole.log(y);"]
    ]);
    assert.deepEqual(brief(ds), ['missing-package 0:3:0', 'missing-package 1:1:24', 'missing-package 2:1:13']);
    assert.match(ds[0].message, /`lodash-es` is not installed/);
    assert.match(ds[1].message, /`@acme\/scaler`/);
    assert.equal(
      ds[0].hint,
      `Install it in the notebook's folder: \`cd ${dir} && npm install lodash-es\`, then run again.`
    );
  });

  test("guarded and deferred loads are the notebook's own fallbacks; a load in a branch still counts", async () => {
    const ds = await check(outsideFolder(), [
      [
        ['step:a'],
        [
          'let tf: any;',
          "try { tf = await import('gpu-only' as string); } catch { tf = null; }",
          "const late = () => import('only-when-called');",
          "const soft = await import('soft-dep').catch(() => null);",
          "if (tf === 'never') await import('in-a-branch');",
          "function f() { return require('in-a-function'); }"
        ].join('\n')
      ]
    ]);
    assert.deepEqual(brief(ds), ['missing-package 0:5:26']);
    assert.match(ds[0].message, /`in-a-branch`/);
  });

  test('type-only imports are erased and need nothing installed', async () => {
    const ds = await check(outsideFolder(), [
      [
        ['step:a'],
        "import type { Tensor } from 'types-only';\nimport { type Opts } from 'also-types';\nconst t: Tensor | null = null;"
      ]
    ]);
    // `import { type Opts }` keeps an (empty) import statement in JavaScript, which the kernel does run.
    assert.deepEqual(brief(ds), ['missing-package 0:2:0']);
  });

  test('relative imports: a TypeScript notebook finds ./util as util.ts, a missing file is named', async () => {
    const dir = outsideFolder();
    writeFileSync(join(dir, 'util.ts'), 'export const k = 2;\n');
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'index.ts'), 'export const j = 3;\n');
    const ds = await check(dir, [
      [
        ['step:a'],
        "import { k } from './util';\nimport { k as k2 } from './util.js';\nimport { j } from './lib';\nimport { nope } from './nope';"
      ]
    ]);
    assert.deepEqual(brief(ds), ['missing-module-file 0:4:0']);
    assert.match(ds[0].message, new RegExp(`${join(dir, 'nope').replace(/[/\\]/g, '\\$&')}, which does not exist`));
  });

  test('a JavaScript notebook resolves relative files exactly, as Node does', async () => {
    const dir = outsideFolder();
    writeFileSync(join(dir, 'util.mjs'), 'export const k = 2;\n');
    const ds = await check(
      dir,
      [[['step:a'], "import { k } from './util.mjs';\nimport { k2 } from './util';"]],
      'javascript'
    );
    assert.deepEqual(brief(ds), ['missing-module-file 0:2:0']);
  });

  test('an installed package resolves through its exports; a subpath it does not export is named', async () => {
    const dir = outsideFolder();
    installFakePackage(dir, 'pkg', { '.': './index.js', './extra': './extra.js' });
    const ds = await check(dir, [
      [
        ['step:a'],
        "import { x } from 'pkg';\nimport { x as e } from 'pkg/extra';\nimport { x as h } from 'pkg/hidden';"
      ]
    ]);
    assert.deepEqual(brief(ds), ['unresolvable-import 0:3:0']);
    assert.match(ds[0].message, /`pkg\/hidden` cannot be loaded/);
  });

  test('Deno specifiers in a Node notebook are refused with the kernel named', async () => {
    const ds = await check(outsideFolder(), [
      [['step:a'], "import { chunk } from 'npm:lodash-es@4';\nimport * as path from 'jsr:@std/path';"]
    ]);
    assert.deepEqual(brief(ds), ['deno-specifier-on-node 0:1:0', 'deno-specifier-on-node 0:2:0']);
    assert.match(ds[0].message, /kernel \(tslab\) runs its steps on Node/);
  });

  test('one report per specifier, at its first site', async () => {
    const ds = await check(outsideFolder(), [
      [['step:a'], "import { a } from 'twice';"],
      [['step:b'], "import { b } from 'twice';"]
    ]);
    assert.deepEqual(brief(ds), ['missing-package 0:1:0']);
  });
});

/** Deno notebooks: Deno resolves (and fetches) their imports, as their steps and the kernel will. */
describe("a Deno notebook's imports are resolved by Deno", () => {
  test('relative imports need their extension, as in the Deno kernel; Node built-ins and existing files load', async () => {
    const dir = outsideFolder();
    writeFileSync(join(dir, 'util.ts'), 'export const k = 2;\n');
    const ds = await check(
      dir,
      [[['step:a'], "import fs from 'node:fs';\nimport { k } from './util.ts';\nimport { k as k2 } from './util';"]],
      'deno'
    );
    assert.deepEqual(brief(ds), ['deno-import-unavailable 0:3:0']);
    assert.match(ds[0].message, /Deno cannot load `\.\/util`/);
  });

  test('a bare package that is not installed is named with the install command', async () => {
    const dir = outsideFolder();
    const ds = await check(dir, [[['step:a'], "import leftPad from 'left-pad';"]], 'deno');
    assert.deepEqual(brief(ds), ['missing-package 0:1:0']);
    assert.match(ds[0].hint, /npm install left-pad/);
  });

  test('an npm: package that does not exist is named with what the registry said', async () => {
    const ds = await check(
      outsideFolder(),
      [[['step:a'], "import x from 'npm:cellflow-no-such-package-zz@1';"]],
      'deno'
    );
    assert.deepEqual(brief(ds), ['deno-import-unavailable 0:1:0']);
    assert.match(ds[0].message, /`npm:cellflow-no-such-package-zz@1`/);
  });
});

/** The example and every run-corpus notebook, copied where there is no node_modules, as a user copies one. */
describe('every example and corpus notebook, copied to a folder without node_modules', () => {
  const corpusDir = join(samplesRoot, 'run');
  const notebooks = [
    join(repoRoot, 'examples', 'xor.ipynb'),
    ...readdirSync(corpusDir)
      .filter(n => n.endsWith('.ipynb'))
      .sort()
      .map(n => join(corpusDir, n))
  ];
  /** The packages each notebook cannot do without; every other corpus notebook uses Node's built-ins only. */
  const needs: Record<string, string> = {
    'xor.ipynb': '@tensorflow/tfjs',
    'marshal_tfjs_adam_continues.ipynb': '@tensorflow/tfjs',
    'marshal_tfjs_layer_through_model.ipynb': '@tensorflow/tfjs',
    'mutation_tensor_dispose.ipynb': '@tensorflow/tfjs',
    'precision_minimize.ipynb': '@tensorflow/tfjs',
    'tfjs_layers_model.ipynb': '@tensorflow/tfjs',
    'tfjs_tensors.ipynb': '@tensorflow/tfjs'
  };

  test('needing a package: `run` stops before any step with the package and the install command', async () => {
    for (const source of notebooks.filter(n => needs[basename(n)])) {
      const dir = outsideFolder();
      const path = join(dir, basename(source));
      copyFileSync(source, path);
      const result = cli(['run', path, '--json']);
      assert.equal(result.code, 1, `${basename(source)}: ${result.stderr}`);
      // `--json`: the refusal is one JSON object on stdout, the missing package among its diagnostics.
      const { error } = JSON.parse(result.stdout) as { error: Diagnostic & { diagnostics: Diagnostic[] } };
      assert.equal(error.code, 'notebook-has-errors');
      const pkg = needs[basename(source)];
      const missing = error.diagnostics.find(d => d.code === 'missing-package' && d.message.includes(`\`${pkg}\``));
      assert.ok(missing, `${basename(source)}: ${result.stdout}`);
      assert.ok(missing.cellIndex !== null && missing.line !== null);
      assert.ok(missing.hint.includes(`cd ${dir} && npm install ${pkg}`), missing.hint);
      const plain = cli(['run', path]);
      assert.equal(plain.code, 1);
      assert.match(plain.stderr, /error missing-package \(cell \d+, line \d+:\d+\)/);
      assert.equal(existsSync(join(dir, '.cellflow', 'runs')), false, `${basename(source)}: a step started`);
    }
  });

  test('using only built-ins: nothing to install', async () => {
    for (const source of notebooks.filter(n => !needs[basename(n)])) {
      const dir = outsideFolder();
      const path = join(dir, basename(source));
      copyFileSync(source, path);
      const ds = checkRunnable(analyzeNotebook((await readNotebookFile(path)).json), path);
      assert.deepEqual(ds, [], basename(source));
    }
  });
});
