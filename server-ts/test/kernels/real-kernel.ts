/**
 * Runs a notebook in a real Jupyter kernel (Deno's or tslab's) through `run_notebook.py` and jupyter_client.
 * The Python environment is made by the tests themselves, once, in a git-ignored folder: a missing python3,
 * venv or pip, or a failed install, fails the test with what to do, never skips it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, serverRoot } from '../paths.js';

/** The driver, in the source tree (tsc does not copy it to dist). */
const DRIVER = join(serverRoot, 'test/kernels/run_notebook.py');
const VENV = join(serverRoot, '.test-work/kernels-venv');
/** Written after a successful install: a half-made environment (an interrupted run) is made again. */
const READY = join(VENV, 'cellflow-ready');
const JUPYTER_CLIENT = 'jupyter_client';

/** The environment's python, with jupyter_client importable; made on first use (about 10 s). */
export function kernelPython(): string {
  const python = join(VENV, 'bin/python');
  if (existsSync(READY)) return python;
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(join(serverRoot, '.test-work'), { recursive: true });
  must(['python3', '-m', 'venv', VENV], 'python3 with the venv module (Debian: apt-get install python3-venv)');
  must([python, '-m', 'pip', 'install', '--quiet', JUPYTER_CLIENT], `pip install ${JUPYTER_CLIENT} (PyPI reachable)`);
  must([python, '-c', 'import jupyter_client'], `${JUPYTER_CLIENT} importable in ${VENV}`);
  writeFileSync(READY, 'jupyter_client installed\n');
  return python;
}

function must([command, ...args]: string[], needs: string): void {
  const result = spawnSync(command!, args, { encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0) return;
  const why = result.error ? result.error.message : (result.stderr || result.stdout).trim().slice(-2000);
  throw new Error(`real-kernel tests need ${needs}; \`${[command, ...args].join(' ')}\` failed: ${why}`);
}

/** tslab's pinned install (package.json + lock in test/kernels/tslab-kernel), copied and `npm ci`'d once. */
const TSLAB_SOURCE = join(serverRoot, 'test/kernels/tslab-kernel');
const TSLAB_HOME = join(serverRoot, '.test-work/tslab-kernel');

/**
 * tslab's command line, installed on first use (about 10 s). Not a dependency of the repository: tslab's own
 * TypeScript (5.0) has a `tsc` bin, and npm links the first one by path, so it would shadow the repository's.
 * zeromq's prebuilt addon loads without its install script, which npm does not run here.
 */
function tslabCli(): string {
  const lock = readFileSync(join(TSLAB_SOURCE, 'package-lock.json'), 'utf8');
  const ready = join(TSLAB_HOME, 'cellflow-ready.json');
  const cli = join(TSLAB_HOME, 'node_modules/tslab/bin/tslab');
  if (existsSync(ready) && readFileSync(ready, 'utf8') === lock) return cli;
  rmSync(TSLAB_HOME, { recursive: true, force: true });
  mkdirSync(TSLAB_HOME, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(join(TSLAB_SOURCE, file), join(TSLAB_HOME, file));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  must([npm, 'ci', '--prefix', TSLAB_HOME, '--no-audit', '--no-fund'], 'npm ci of tslab (the npm registry reachable)');
  writeFileSync(ready, lock);
  return cli;
}

export type KernelName = 'deno' | 'tslab';

/** The kernelspec argv each kernel installs for itself, with this repository's binaries. */
function kernelArgv(kernel: KernelName): string[] {
  if (kernel === 'deno') {
    return [
      realpathSync(join(repoRoot, 'node_modules/.bin/deno')),
      'jupyter',
      '--kernel',
      '--conn',
      '{connection_file}'
    ];
  }
  // tslab's own `tslab install` writes [tslab, 'kernel', '--config-path', '{connection_file}'].
  return [process.execPath, tslabCli(), 'kernel', '--config-path', '{connection_file}'];
}

/** One output message of a cell: a bundle (binary types base64), and the display id of an updatable one. */
export interface KernelOutput {
  type: 'display_data' | 'update_display_data' | 'execute_result';
  data: Record<string, unknown>;
  displayId: string | null;
}

export interface KernelCell {
  /** The cell's index in the notebook. */
  index: number;
  outputs: KernelOutput[];
  stdout: string;
  stderr: string;
  error: { ename: string; evalue: string } | null;
}

/** Runs every code cell of the notebook, in order, in the kernel started in the notebook's folder. */
export function runInKernel(kernel: KernelName, notebookPath: string, cellTimeoutS = 60): KernelCell[] {
  const python = kernelPython();
  const jupyterPath = mkdtempSync(join(tmpdir(), 'cellflow-kernelspec-'));
  try {
    const specDir = join(jupyterPath, 'kernels', kernel);
    mkdirSync(specDir, { recursive: true });
    const spec = { argv: kernelArgv(kernel), display_name: kernel, language: 'typescript' };
    writeFileSync(join(specDir, 'kernel.json'), JSON.stringify(spec));
    const out = join(jupyterPath, 'cells.json');
    const result = spawnSync(python, [DRIVER, kernel, notebookPath, out, String(cellTimeoutS)], {
      encoding: 'utf8',
      // Only this kernelspec: none the machine has installed elsewhere is picked by name.
      env: { ...process.env, JUPYTER_PATH: jupyterPath, JUPYTER_DATA_DIR: jupyterPath },
      timeout: (cellTimeoutS + 30) * 1000
    });
    if (result.status !== 0 || !existsSync(out)) {
      throw new Error(`the ${kernel} kernel run failed (${result.status ?? result.signal}): ${result.stderr}`);
    }
    return (JSON.parse(readFileSync(out, 'utf8')) as { cells: KernelCell[] }).cells;
  } finally {
    rmSync(jupyterPath, { recursive: true, force: true });
  }
}
