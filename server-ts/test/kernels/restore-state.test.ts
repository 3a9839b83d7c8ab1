/**
 * Issue 9 item 3 against the real kernels: a restored folder (built by hand, as `cellflow restore` lays it out)
 * is loaded by `restoreStateCode` into a fresh tslab kernel, and into Deno's: every value comes back, and
 * `model.predict(xTest)` in the kernel equals the prediction of the same saved model in this process; the
 * replayed cell makes a working function from restored values.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { writeRestoreLoader } from '../../src/restore-kernel/loader.js';
import { restoreStateCode } from '../../src/restore-kernel/state-code.js';
import { makeWorkspace, notebookJson } from '../notebooks.js';
import { repoRoot } from '../paths.js';
import { writeRestoredFolder } from '../restore-kernel/restored-folder.js';
import { kernelPython, runInKernel } from './real-kernel.js';

const CHECKS = [
  'console.log("predict=" + JSON.stringify(Array.from((model.predict(xTest) as any).dataSync())));',
  'console.log("values=" + JSON.stringify([count, arr, [...lookup.entries()], Array.from(weights), weights instanceof Float32Array]));',
  'console.log("replayed=" + JSON.stringify(predictSum(xTest)));',
  // A type the prelude declares still names a type in a later cell (tslab: an `any` alias).
  'const scaled: Scaled<number> = { values: scale(arr, 2) };\nconsole.log("prelude=" + JSON.stringify(scaled.values));'
];

function line(stdout: string, key: string): unknown {
  const found = stdout.split('\n').find(l => l.startsWith(`${key}=`));
  assert.ok(found, `the kernel printed ${key}=…; it printed:\n${stdout}`);
  return JSON.parse(found.slice(key.length + 1));
}

/**
 * A user's project outside this repository: only what the notebook imports installed (tfjs) and the @types/node
 * tslab needs for `console`, none of the repository's packages: the loader must carry its own.
 */
function userProject(): string {
  const project = mkdtempSync(join(tmpdir(), 'cellflow-restore-user-'));
  for (const name of ['@tensorflow/tfjs', '@types/node']) {
    mkdirSync(dirname(join(project, 'node_modules', name)), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), join(project, 'node_modules', name));
  }
  return project;
}

const PLACES = [
  { kernel: 'tslab', where: 'in this repository', root: () => makeWorkspace('restore-tslab-') },
  { kernel: 'deno', where: 'in this repository', root: () => makeWorkspace('restore-deno-') },
  { kernel: 'tslab', where: "in a user's project outside the repository", root: userProject }
] as const;

for (const { kernel, where, root } of PLACES) {
  test(
    `Restore state in a real ${kernel} kernel ${where}: values, model.predict(xTest), the replayed cell`,
    { timeout: 300_000 },
    async () => {
      kernelPython();
      const folder = join(root(), 'restored', 'nb-run-1-train');
      const { record, model, xTest } = await writeRestoredFolder(folder, kernel);
      writeRestoreLoader(folder);
      const code = restoreStateCode(record, { kernel, folder });
      const check = notebookJson([[[], code], ...CHECKS.map(source => [[], source] as [string[], string])], kernel);
      writeFileSync(join(folder, 'check.ipynb'), JSON.stringify(check));
      const cells = runInKernel(kernel, join(folder, 'check.ipynb'), 120);
      for (const cell of cells)
        assert.equal(cell.error, null, `cell ${cell.index}: ${JSON.stringify(cell.error)}\n${cell.stderr}`);
      const restoreOut = cells[0]!.stdout;
      assert.match(restoreOut, /cellflow: restored 6 value\(s\): count, arr, lookup, weights, model, xTest/);
      assert.match(restoreOut, /cellflow: recomputed predictSum by replaying cell\(s\) 5/);
      const stdout = cells.map(c => c.stdout).join('');

      const expected = Array.from((model.predict(xTest) as import('@tensorflow/tfjs').Tensor).dataSync());
      assert.deepEqual(line(stdout, 'predict'), expected);
      assert.deepEqual(line(stdout, 'values'), [
        7,
        [1, 2, 3],
        [
          ['a', 1],
          ['b', 2]
        ],
        [0.5, -1.25, 3],
        true
      ]);
      const sum = expected.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs((line(stdout, 'replayed') as number) - (sum + 7)) < 1e-5, 'predictSum from restored values');
      assert.deepEqual(line(stdout, 'prelude'), [2, 4, 6]);
    }
  );
}
