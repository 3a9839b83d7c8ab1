import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine, type LocalEngineOptions } from '../../src/engine/local/engine.js';
import { resolveParameterValues } from '../../src/engine/parameter-values.js';
import type { RunRecord, SubmitOptions } from '../../src/engine/types.js';
import { serverRoot } from '../paths.js';

export const CLI = join(serverRoot, 'dist/src/cli/main.js');

export async function runNotebook(
  path: string,
  options: Omit<SubmitOptions, 'parameters'> & LocalEngineOptions & { overrides?: Record<string, string> } = {}
): Promise<RunRecord> {
  const compiled = await compileNotebookFile(path);
  const parameters = resolveParameterValues(compiled.local.plan.parameters, options.overrides ?? {});
  const { killGraceMs, gpus, useCache, concurrency } = options;
  const engine = new LocalEngine(dirname(path), { killGraceMs, gpus });
  return (await engine.submit(compiled, { parameters, useCache, concurrency })).done;
}

export function cli(args: string[], cwd = serverRoot) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function cliInBackground(args: string[], cwd = serverRoot): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Polls until `check` returns a value (bounded: tests never hang). */
export async function waitFor<T>(check: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Whether a process is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
