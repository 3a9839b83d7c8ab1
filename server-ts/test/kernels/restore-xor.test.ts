/**
 * Issue 9 item 3 end to end: examples/xor.ipynb run on the embedded engine, its last step restored by
 * `cellflow restore`'s own function, and the restored state loaded into a fresh tslab kernel by the code
 * "Restore state" runs: the trained model, evaluated in the kernel on the restored test set, gives the
 * accuracy the run reported.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { restoreRun } from '../../src/restore/index.js';
import { readRestoreRecord, restoreStateCode, writeRestoreLoader } from '../../src/restore-kernel/index.js';
import { makeWorkspace, notebookJson } from '../notebooks.js';
import { kernelPython, runInKernel } from './real-kernel.js';
import { repoRoot } from '../paths.js';

test('xor: a restored step evaluates in tslab to the accuracy its run reported', { timeout: 600_000 }, async () => {
  kernelPython();
  const dir = makeWorkspace('restore-xor-');
  const path = join(dir, 'xor.ipynb');
  copyFileSync(join(repoRoot, 'examples', 'xor.ipynb'), path);
  const compiled = await compileNotebookFile(path);
  const defaults = Object.fromEntries(compiled.analysis.ir.parameters.map(p => [p.name, p.default]));
  const parameters = { ...defaults, epochs: 2, n_train: 1000, n_test: 200 };
  const run = await (await new LocalEngine(dir).submit(compiled, { parameters })).done;
  assert.equal(run.status, 'succeeded', JSON.stringify(run.error ?? run.steps));

  const restored = await restoreRun({ workspace: dir, id: run.id });
  assert.equal(restored.step, 'evaluate');
  writeRestoreLoader(restored.folder);
  const code = restoreStateCode(readRestoreRecord(restored.folder), { kernel: 'tslab', folder: restored.folder });
  const check = notebookJson(
    [
      [[], code],
      [[], 'console.log("acc=" + JSON.stringify([testAccuracy(hiddenModel, xTest, yTest), hidden_test_acc]));']
    ],
    'tslab'
  );
  writeFileSync(join(restored.folder, 'check.ipynb'), JSON.stringify(check));
  const cells = runInKernel('tslab', join(restored.folder, 'check.ipynb'), 240);
  for (const cell of cells) assert.equal(cell.error, null, `cell ${cell.index}: ${JSON.stringify(cell.error)}`);
  const found = cells[1]!.stdout.split('\n').find(l => l.startsWith('acc='));
  assert.ok(found, cells[1]!.stdout);
  const [evaluated, restoredMetric] = JSON.parse(found.slice(4)) as [number, number];
  assert.equal(evaluated, run.metrics.hidden_test_acc);
  assert.equal(restoredMetric, run.metrics.hidden_test_acc);
});
