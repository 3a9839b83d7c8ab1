/**
 * The entry of `loader.cjs`, the module "Restore state" loads in the user's own kernel. esbuild bundles it with
 * the runtime's decoder into one CommonJS file (`scripts/bundle-restore-loader.mjs`), so the kernel needs nothing
 * of cellflow installed; tfjs stays outside the bundle and is `require`d from the restored folder up, as the
 * kernel's own imports resolve it, so a loaded model is of the kernel's tfjs.
 */
import { runInThisContext } from 'node:vm';
import { loadValues } from '../runtime/marshal.js';
import type { NotebookClass } from '../runtime/notebook-class.js';

export interface LoadStateOptions {
  /** The step whose values these are (named in load errors). */
  step: string;
  /** The `functions`-cell classes and functions the values need, as the kernel's prelude defined them. */
  classes: Record<string, NotebookClass | undefined>;
  functions: Record<string, NotebookClass | undefined>;
}

/** Loads the named values of a restored step's `state/` folder, decoded together (shared objects stay shared). */
export async function loadState(
  stateDir: string,
  names: readonly string[],
  options: LoadStateOptions
): Promise<Record<string, unknown>> {
  if (names.length === 0) return {};
  return loadValues(stateDir, names, {
    step: options.step,
    consumer: 'restore',
    classes: defined(options.classes),
    functions: defined(options.functions)
  });
}

export interface RestoreSummary {
  restored: string[];
  replayed: { cells: number[]; names: string[] };
  notRestored: { name: string; reason: string }[];
}

/** What the kernel prints at the end: one line per part, so the user sees what they have. */
export function printSummary(summary: RestoreSummary): void {
  for (const line of summaryLines(summary)) console.log(line);
}

export function summaryLines(summary: RestoreSummary): string[] {
  const lines = [`cellflow: restored ${summary.restored.length} value(s): ${summary.restored.join(', ') || '-'}`];
  if (summary.replayed.cells.length > 0) {
    const cells = summary.replayed.cells.map(cell => cell + 1).join(', ');
    lines.push(`cellflow: recomputed ${summary.replayed.names.join(', ') || '-'} by replaying cell(s) ${cells}`);
  }
  for (const { name, reason } of summary.notRestored) lines.push(`cellflow: not restored: ${name} (${reason})`);
  return lines;
}

function defined(record: Record<string, NotebookClass | undefined>): Record<string, NotebookClass> {
  const out: Record<string, NotebookClass> = {};
  for (const [name, value] of Object.entries(record)) if (typeof value === 'function') out[name] = value;
  return out;
}

export interface RunRestoreOptions {
  /** The step whose values these are (named in load errors). */
  step: string;
  /** The kernel's own `require` (tslab's resolves `tslab` to its display API). */
  require: NodeRequire;
  /** Where the program's code comes from, for stack traces: the restored notebook. */
  filename: string;
  stateDir: string;
  /** The saved values to load. */
  values: readonly string[];
}

interface ProgramHelpers {
  load(definitions: Pick<LoadStateOptions, 'classes' | 'functions'>): Promise<Record<string, unknown>>;
  bind(names: Record<string, unknown>): void;
}

/**
 * Runs the program `restoreStateCode` made for tslab and jslab (`kernel-program.ts`: the prelude, the values
 * loaded, the replayed cells) as one async function in the kernel's realm, and returns what it defined.
 */
export async function runRestore(js: string, options: RunRestoreOptions): Promise<Record<string, unknown>> {
  let bound: Record<string, unknown> = {};
  const helpers: ProgramHelpers = {
    load: definitions => loadState(options.stateDir, options.values, { step: options.step, ...definitions }),
    bind: names => {
      bound = names;
    }
  };
  const program = runInThisContext(`(async function (require, $cellflow) {${js}\n})`, {
    filename: options.filename
  }) as (require: NodeRequire, helpers: ProgramHelpers) => Promise<void>;
  await program(options.require, helpers);
  return bound;
}
