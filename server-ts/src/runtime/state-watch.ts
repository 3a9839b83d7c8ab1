/**
 * State outside a step's variables that its cells may change: the bindings
 * of `imports` and `functions` cells (closure state, static class fields,
 * patched prototypes), `globalThis`, and `process.env`. Each is fingerprinted
 * after the prelude and again after the step's cells. In a kernel such a
 * change is seen by every later cell; a pipeline runs the prelude afresh in
 * every step, so the engine decides from the change what is still exact.
 */
import { fingerprint, identityFingerprint } from './fingerprint.js';
import { runtimeGlobals } from './own-globals.js';

/** A prelude binding to watch: its name, the cell that defines it, and how to read it. */
export interface PreludeBinding {
  name: string;
  cellIndex: number;
  /** `imports` bindings are libraries: watched by identity only (their internals are not notebook state). */
  kind: 'imports' | 'functions';
  read: () => unknown;
}

export interface EnvChange {
  set: Record<string, string>;
  unset: string[];
}

export interface StateChanges {
  prelude: { name: string; cellIndex: number }[];
  globals: string[];
  env: EnvChange;
}

/**
 * Globals present when the runtime loaded: Node's own. Keys added later are the notebook's or a library's.
 * Each is read once first: Node defines some (`atob`, `fetch`) as getters that replace themselves, and set
 * up more state, when first read.
 */
for (const key of Object.getOwnPropertyNames(globalThis)) readGlobal(key);
const nodeGlobals = new Set(Object.getOwnPropertyNames(globalThis));

export class StateWatch {
  private readonly prelude = new Map<string, string>();
  private readonly globals: Map<string, string>;
  private readonly env: Record<string, string | undefined>;

  constructor(private readonly bindings: readonly PreludeBinding[]) {
    for (const binding of bindings) this.prelude.set(binding.name, preludeFingerprint(binding));
    this.globals = globalFingerprints();
    this.env = { ...process.env };
  }

  changes(): StateChanges {
    const prelude = this.bindings
      .filter(binding => preludeFingerprint(binding) !== this.prelude.get(binding.name))
      .map(({ name, cellIndex }) => ({ name, cellIndex }));
    const after = globalFingerprints();
    const globals = [...new Set([...this.globals.keys(), ...after.keys()])].filter(
      key => this.globals.get(key) !== after.get(key)
    );
    const set: Record<string, string> = {};
    const unset: string[] = [];
    for (const [key, value] of Object.entries(process.env)) if (this.env[key] !== value) set[key] = value!;
    for (const key of Object.keys(this.env)) if (!(key in process.env)) unset.push(key);
    return { prelude, globals, env: { set, unset } };
  }
}

/** Applies the `process.env` changes upstream steps made, as the kernel would have them by now. */
export function applyEnvChange(change: EnvChange | undefined): void {
  if (!change) return;
  for (const [key, value] of Object.entries(change.set)) process.env[key] = value;
  for (const key of change.unset) delete process.env[key];
}

function preludeFingerprint(binding: PreludeBinding): string {
  let value: unknown;
  try {
    value = binding.read();
  } catch {
    return 'unset'; // a binding whose statement the step's prelude left out
  }
  if (binding.kind === 'imports') return identityFingerprint(value);
  if (typeof value !== 'function') return fingerprint(value);
  // A function or class: which one it is, its static fields and its prototype's own members.
  return fingerprint({ self: value, statics: ownMembers(value, functionBuiltins), proto: prototypeMembers(value) });
}

const functionBuiltins = new Set<string | symbol>(['length', 'name', 'prototype', 'caller', 'arguments']);

function prototypeMembers(fn: object): unknown {
  const prototype = (fn as { prototype?: unknown }).prototype;
  return typeof prototype === 'object' && prototype !== null ? ownMembers(prototype, new Set(['constructor'])) : null;
}

function ownMembers(object: object, skip: ReadonlySet<string | symbol>): Map<string | symbol, unknown> {
  const members = new Map<string | symbol, unknown>();
  for (const key of Reflect.ownKeys(object)) {
    if (skip.has(key)) continue;
    const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
    members.set(key, 'value' in descriptor ? descriptor.value : [descriptor.get, descriptor.set]);
  }
  return members;
}

/**
 * Node's globals by identity; globals added since by the notebook, deeply. Symbol keys and names starting
 * with `_` are left out: libraries keep their internal state there (tfjs's `_tfengine` changes with every
 * operation, undici keeps its dispatcher under a symbol); so are globals the runtime made (own-globals.ts).
 */
function globalFingerprints(): Map<string, string> {
  const result = new Map<string, string>();
  for (const key of Object.getOwnPropertyNames(globalThis)) {
    if (key.startsWith('_') || runtimeGlobals.has(key)) continue;
    result.set(key, nodeGlobals.has(key) ? identityFingerprint(readGlobal(key)) : safeFingerprint(readGlobal(key)));
  }
  return result;
}

/** Read, not described: Node defines some globals (`atob`, `Blob`) as getters that replace themselves when first read. */
function readGlobal(key: string): unknown {
  try {
    return Reflect.get(globalThis, key);
  } catch {
    return undefined;
  }
}

function safeFingerprint(value: unknown): string {
  try {
    return fingerprint(value);
  } catch {
    return identityFingerprint(value);
  }
}
