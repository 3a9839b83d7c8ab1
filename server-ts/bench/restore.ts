/**
 * `npm run bench -- restore`: bringing a finished XOR run's last step back into a fresh tslab kernel against
 * re-running the notebook top to bottom in a fresh tslab kernel (issue 9: target ≥ 5× faster). The restore side
 * counts `cellflow restore`'s own function (the folder, the notebook, the state copied out of the store), the
 * kernel's start and the "Restore state" code (the prelude cells, loading every value, the two trained models
 * among them); the re-run side counts the kernel's start and every cell. Both go through the same kernel driver
 * as the real-kernel tests. The run is one trial's (the notebook's defaults: 10,000 points, 20 epochs).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileNotebookFile } from '../src/compile/index.js';
import { LocalEngine } from '../src/engine/local/engine.js';
import { resolveParameterValues } from '../src/engine/parameter-values.js';
import { restoreRun } from '../src/restore/index.js';
import { readRestoreRecord, restoreStateCode, writeRestoreLoader } from '../src/restore-kernel/index.js';
import { notebookJson } from '../test/notebooks.js';
import { kernelPython, runInKernel } from '../test/kernels/real-kernel.js';

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timedKernelRun(notebookPath: string): number {
  const t = performance.now();
  const cells = runInKernel('tslab', notebookPath, 600);
  const failed = cells.find(cell => cell.error !== null);
  if (failed) throw new Error(`cell ${failed.index} failed in tslab: ${JSON.stringify(failed.error)}`);
  return (performance.now() - t) / 1000;
}

/**
 * The packages examples/xor.ipynb imports, and the @types/node its `node:` imports need in tslab, linked into a
 * user's folder as `npm install` would put them there.
 */
const XOR_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'vega',
  'vega-lite',
  '@types/node'
];

export async function benchRestore(workDir: string, repoRoot: string) {
  kernelPython(); // the test venv's Jupyter with the tslab kernel (made on first use)
  // A user's project: the notebook and a node_modules with what it imports. Inside this repository each tslab kernel
  // also loads the 61 @types packages of the frontend's devDependencies as it starts, which no user's kernel does.
  const userFolder = mkdtempSync(join(tmpdir(), 'cellflow-bench-restore-'));
  try {
    for (const name of XOR_PACKAGES) {
      const installed = join(repoRoot, 'node_modules', name);
      if (!existsSync(installed)) continue;
      mkdirSync(dirname(join(userFolder, 'node_modules', name)), { recursive: true });
      symlinkSync(installed, join(userFolder, 'node_modules', name));
    }
    return {
      what: "examples/xor.ipynb's last step restored into a fresh tslab kernel (restore + kernel start + Restore state) against the notebook run top to bottom in a fresh tslab kernel; in a user's folder (the notebook beside a node_modules holding what it imports), and inside this repository",
      userFolder: await measureRestore(userFolder, repoRoot),
      inRepository: await measureRestore(join(workDir, 'xor-restore'), repoRoot),
      target: 5
    };
  } finally {
    rmSync(userFolder, { recursive: true, force: true });
  }
}

async function measureRestore(folder: string, repoRoot: string) {
  const path = join(folder, 'xor.ipynb');
  mkdirSync(folder, { recursive: true });
  cpSync(join(repoRoot, 'examples', 'xor.ipynb'), path);
  const compiled = await compileNotebookFile(path);
  const parameters = resolveParameterValues(compiled.local.plan.parameters, {});
  const run = await (await new LocalEngine(folder).submit(compiled, { parameters })).done;
  if (run.status !== 'succeeded') throw new Error(`the bench's XOR run ${run.status}`);

  const restoreSeconds: number[] = [];
  const rerunSeconds: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const restored = await restoreRun({ workspace: folder, id: run.id, into: join(folder, `restored-${i}`) });
    writeRestoreLoader(restored.folder);
    const code = restoreStateCode(readRestoreRecord(restored.folder), { kernel: 'tslab', folder: restored.folder });
    const check = join(restored.folder, 'restore-state.ipynb');
    writeFileSync(check, JSON.stringify(notebookJson([[[], code]], 'tslab')));
    const prepared = (performance.now() - t) / 1000;
    restoreSeconds.push(prepared + timedKernelRun(check));
    rerunSeconds.push(timedKernelRun(path));
  }
  return {
    restoreSeconds: round(median(restoreSeconds)),
    rerunSeconds: round(median(rerunSeconds)),
    rerunVsRestoreRatio: round(median(rerunSeconds) / median(restoreSeconds)),
    restoreRunsSeconds: restoreSeconds.map(x => round(x)),
    rerunRunsSeconds: rerunSeconds.map(x => round(x))
  };
}
