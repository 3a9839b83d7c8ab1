/**
 * The command that runs a step program (or the straight-through program) on the runtime the notebook's kernel
 * runs cells on: `node <file>` for Node kernels, `deno run ... <file>` for Deno's; with the step's memory limit
 * as its heap limit, and the module loader its notebook needs.
 */
import { createRequire } from 'node:module';
import { heapLimitMiB } from '../../annotations/quantity.js';
import { loaderArguments, type ModuleLoader } from '../../compile/local/module-loader.js';
import type { StepSettings } from '../../ir.js';
import type { KernelRuntime } from '../../notebook/language.js';

export interface StepCommand {
  command: string;
  args: string[];
  /** Added to the step's environment. */
  env: Record<string, string>;
}

export interface StepCommandOptions {
  settings?: StepSettings;
  /** Node only: Deno loads TypeScript itself. */
  loader?: ModuleLoader;
  /** A frozen run's step: its file access is tracked from its first import (runtime/track-files.ts; Deno's runtime starts it). */
  trackFiles?: boolean;
}

const FILE_TRACKER = new URL('../../runtime/track-files.js', import.meta.url).href;

export function stepCommand(runtime: KernelRuntime, file: string, options: StepCommandOptions = {}): StepCommand {
  const memory = options.settings?.limits.memory;
  const heap = memory === undefined ? undefined : heapLimitMiB(memory);
  if (runtime === 'node') {
    const heapFlag = heap === undefined ? [] : [`--max-old-space-size=${heap}`];
    const tracker = options.trackFiles ? ['--import', FILE_TRACKER] : [];
    return {
      command: process.execPath,
      args: [...heapFlag, ...tracker, ...loaderArguments(options.loader), file],
      env: {}
    };
  }
  return {
    command: denoExecutable(),
    // Every permission, as a kernel cell has, and no prompt: nobody is there to answer one. No --config and no
    // --node-modules-dir: from the working directory (the notebook's folder) Deno finds the package.json or
    // deno.json the kernel finds there, so bare, `npm:` and `jsr:` imports resolve as they do in the kernel.
    args: [
      'run',
      '--allow-all',
      '--no-prompt',
      ...(heap === undefined ? [] : [`--v8-flags=--max-old-space-size=${heap}`]),
      file
    ],
    // Deno colours its own messages (a failed import, "Download ...") even on a pipe; the logs are plain text.
    // A step never looks for a newer Deno.
    env: { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }
  };
}

let denoPath: string | undefined;

/**
 * The Deno executable cellflow depends on (the `deno` npm package): its own installer finds the platform
 * package's binary, or copies it into place when the package's install script did not run.
 */
export function denoExecutable(): string {
  if (denoPath) return denoPath;
  const installer = createRequire(import.meta.url)('deno/install_api.cjs') as { runInstall(): string };
  denoPath = installer.runInstall();
  return denoPath;
}
