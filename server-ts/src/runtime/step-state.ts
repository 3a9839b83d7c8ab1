/**
 * A step's state (`<stepDir>/state/`): every top-level binding the step holds at its end that it did not save
 * as an output (its inputs and the other names its cells define), so `cellflow restore` can bring the whole
 * step back into a kernel. Saving it never fails the step: a value that cannot be marshalled is listed in
 * `unsaved.json` with the reason and the cell that last defines it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NotebookClass } from './notebook-class.js';
import { reachedOwned } from './fingerprint.js';
import { MarshalError } from './errors.js';
import { saveValues } from './marshal.js';
import { writeFileAtomic } from './packages.js';

/** Each binding as the compiled step hands it over: how to read it, and the step cell that last defines it. */
export type StateBindings = Record<string, [read: () => unknown, cellIndex: number | null]>;

export interface UnsavedValue {
  name: string;
  reason: string;
  cell: number | null;
}

/** `state/refs.json`: outputs the state leaves in `../outputs` (they are not copied). */
export interface StateRefs {
  version: 1;
  outputs: string[];
}

export const STEP_STATE_ENV = 'CELLFLOW_STEP_STATE';
export const UNSAVED_FILE = 'unsaved.json';
export const REFS_FILE = 'refs.json';

/** The state folder beside a step's outputs folder. */
export function stateDirFor(outputsDir: string): string {
  return join(dirname(outputsDir), 'state');
}

export interface SaveStateOptions {
  step: string;
  outputsDir: string;
  /** Names the step saved as outputs, with their values (the state refers to them). */
  outputs: Readonly<Record<string, unknown>>;
  classes: Readonly<Record<string, NotebookClass>>;
  functions: Readonly<Record<string, NotebookClass>>;
}

/** Saves the step's state; returns what could not be saved. Never throws. */
export async function saveStepState(bindings: StateBindings, options: SaveStateOptions): Promise<UnsavedValue[]> {
  if (process.env[STEP_STATE_ENV] === 'off') return [];
  const dir = stateDirFor(options.outputsDir);
  const unsaved: UnsavedValue[] = [];
  const values: Record<string, unknown> = {};
  const cells: Record<string, number | null> = {};
  for (const [name, [read, cellIndex]] of Object.entries(bindings)) {
    if (name in options.outputs) continue;
    cells[name] = cellIndex;
    try {
      values[name] = read();
    } catch {
      // Not bound at run time (an import TypeScript erases, a `let` never reached): there is nothing to restore.
      delete cells[name];
    }
  }
  // An output a state value holds (`holder = { model }`) is saved with it, so the two stay one object.
  const outputObjects = new Map<object, string>();
  for (const [name, value] of Object.entries(options.outputs)) {
    if ((typeof value === 'object' && value !== null) || typeof value === 'function') outputObjects.set(value, name);
  }
  const copiedOutputs = new Set<string>();
  if (outputObjects.size > 0) {
    for (const value of Object.values(values)) {
      for (const object of reachedOwned(value, o => outputObjects.has(o)))
        copiedOutputs.add(outputObjects.get(object)!);
    }
  }
  for (const name of copiedOutputs) values[name] = options.outputs[name];
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await saveDroppingRefused(dir, values, cells, unsaved, options);
    const refs: StateRefs = { version: 1, outputs: Object.keys(options.outputs).filter(n => !copiedOutputs.has(n)) };
    writeFileAtomic.sync(join(dir, REFS_FILE), JSON.stringify(refs, null, 2) + '\n');
    writeFileAtomic.sync(join(dir, UNSAVED_FILE), JSON.stringify(unsaved, null, 2) + '\n');
  } catch (error) {
    // A full disk or the like: the step's own result matters more; restore says the state is missing.
    rmSync(dir, { recursive: true, force: true });
    process.stderr.write(`cellflow: the step's state was not saved (${(error as Error).message})\n`);
  }
  return unsaved;
}

/** Saves what marshals: each refused value is taken out and listed, and the rest saved again. */
async function saveDroppingRefused(
  dir: string,
  values: Record<string, unknown>,
  cells: Record<string, number | null>,
  unsaved: UnsavedValue[],
  options: SaveStateOptions
): Promise<void> {
  const pending = { ...values };
  while (Object.keys(pending).length > 0) {
    try {
      await saveValues(dir, pending, {
        step: options.step,
        consumers: {},
        classes: options.classes,
        functions: options.functions
      });
      return;
    } catch (error) {
      if (!(error instanceof MarshalError) || !(error.variable in pending)) throw error;
      unsaved.push({ name: error.variable, reason: refusalReason(error), cell: cells[error.variable] ?? null });
      delete pending[error.variable];
    }
  }
}

/** The marshaller's finding without its advice about steps (the state has no consumer). */
function refusalReason(error: MarshalError): string {
  return error.path === error.variable ? `it is ${error.what}` : `\`${error.path}\` is ${error.what}`;
}
