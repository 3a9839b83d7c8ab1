/**
 * Runs every code cell in notebook order in one process, on the kernel's runtime (Node or Deno), as a kernel
 * would: the baseline that pipeline runs are compared with (equivalence tests
 * and benchmarks).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Analysis } from '../../analyze/index.js';
import { compileStraightThrough } from '../../compile/local/emit.js';
import { moduleLoaderFor } from '../../compile/local/module-loader.js';
import { parseMetricLines } from '../../runtime/metrics.js';
import { ARTIFACTS_DIR_ENV } from '../../runtime/step-context.js';
import { kernelRuntime } from '../../notebook/language.js';
import { STATE_DIR } from './run-store.js';
import { stepCommand } from './step-command.js';

export interface StraightRunResult {
  exitCode: number | null;
  seconds: number;
  metrics: Record<string, number>;
  stdout: string;
  stderr: string;
  artifactsDir: string;
  /** The run's own folder (program, artifacts). */
  dir: string;
}

export interface StraightRunOptions {
  /** Compile `cellflow verify`'s variant, which compares values with a pipeline run. */
  observe?: boolean;
  env?: Record<string, string>;
}

export async function runStraightThrough(
  analysis: Analysis,
  notebookPath: string,
  options: StraightRunOptions = {}
): Promise<StraightRunResult> {
  const notebookDir = dirname(notebookPath);
  const { program, lineMap } = compileStraightThrough(analysis, notebookPath, { observe: options.observe });
  mkdirSync(join(notebookDir, STATE_DIR, 'straight'), { recursive: true });
  const dir = mkdtempSync(join(notebookDir, STATE_DIR, 'straight', 'run-'));
  const file = join(dir, 'notebook.mjs');
  writeFileAtomic.sync(file, program);
  writeFileAtomic.sync(join(dir, 'notebook.lines.json'), JSON.stringify(lineMap));
  const artifactsDir = join(dir, 'artifacts');
  mkdirSync(artifactsDir);

  const started = performance.now();
  const command = stepCommand(kernelRuntime(analysis.ir.kernel), file, { loader: moduleLoaderFor(analysis) });
  const child = spawn(command.command, command.args, {
    cwd: notebookDir,
    env: { ...process.env, ...command.env, ...options.env, [ARTIFACTS_DIR_ENV]: artifactsDir },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', chunk => (stdout += chunk));
  child.stderr.on('data', chunk => (stderr += chunk));
  const exitCode = await new Promise<number | null>(resolve => child.on('close', resolve));
  // Only the notebook's metrics: other `name=value` lines a cell prints are logs, as they are in a pipeline run.
  const printed = parseMetricLines(stdout);
  const metrics = Object.fromEntries(
    analysis.ir.metrics.filter(m => m.name in printed).map(m => [m.name, printed[m.name]])
  );
  return { exitCode, seconds: (performance.now() - started) / 1000, metrics, stdout, stderr, artifactsDir, dir };
}
