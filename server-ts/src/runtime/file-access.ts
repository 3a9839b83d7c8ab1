/**
 * Which files a step touched, seen from inside its process: the engine checks the plan against it (a file one step
 * writes and another reads is a dependency the tags must state) and keeps a cached result only while the files it
 * read outside the frozen workspace are as they were (an excluded `data/` folder, `../shared/x.csv`, an absolute
 * path). Node's `fs` (callback, sync and promise forms) and Deno's file functions are wrapped before the step's own
 * code runs; each path is resolved (symbolic links followed, so a linked excluded folder counts as outside) and
 * stat-ed once, when first touched, and again when the step ends.
 *
 * Left out, as their own keys cover them or they say nothing about results: the engine's files (`.cellflow`),
 * `node_modules` (the lockfile's hash is in the workspace key), Node's and cellflow's own code, `/proc`, `/sys`,
 * `/dev`. Not seen: files read by native addons or child processes, and (in Deno) modules imported statically.
 * No library does this: fs interception libraries (memfs, mock-fs) replace the file system instead of observing it.
 */
import { createHash } from 'node:crypto';
import * as realFs from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by the engine: the run's frozen copy of the workspace. Without it nothing is tracked. */
export const WORKSPACE_COPY_ENV = 'CELLFLOW_WORKSPACE_COPY';

export type TouchKind = 'read' | 'list' | 'write';

/** A path outside the frozen copy, with what it was when the step first touched it and when the step ended. */
export interface OutsideTouch {
  /** Absolute, symbolic links resolved. */
  path: string;
  /** `write` wins over `read` and `list`: what the step left there is what a cached result stands for. */
  how: TouchKind;
  first: string;
  last: string;
}

/** What a step reports about files (`StepResult.files`). */
export interface FileAccessReport {
  /** Paths in the copy (workspace-relative, `/`) whose contents or existence the step read. */
  read: string[];
  /** Folders in the copy the step listed. */
  listed: string[];
  /** Paths in the copy the step wrote, renamed or removed. */
  wrote: string[];
  outside: OutsideTouch[];
}

const TRACKER = Symbol.for('cellflow.fileAccess');

interface Tracker {
  copyRoot: string;
  inCopy: Map<string, Set<TouchKind>>;
  outside: Map<string, { how: TouchKind; first: string; kinds: Set<TouchKind> }>;
  /** Resolved paths, by the path as given (relative to the working directory then). */
  seen: Map<string, string | null>;
}

/** What a path is, in as much detail as a result could depend on. */
export function signatureOf(path: string, how: TouchKind, fs: FsLike = nodeFs()): string {
  try {
    const stat = fs.statSync(path, { bigint: true });
    if (stat.isDirectory()) {
      if (how !== 'list') return 'dir';
      const names = fs.readdirSync(path).map(String).sort();
      return `list:${createHash('sha256').update(names.join('\0')).digest('hex').slice(0, 32)}`;
    }
    return `file:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return 'missing';
  }
}

interface FsLike {
  statSync(
    path: string,
    options: { bigint: true }
  ): {
    isDirectory(): boolean;
    size: bigint;
    mtimeNs: bigint;
  };
  readdirSync(path: string): unknown[];
  realpathSync: { native(path: string): string };
}

/** The functions as they were before wrapping (the tracker's own calls are not touches); the engine uses fs as is. */
let originals: FsLike | undefined;
function nodeFs(): FsLike {
  return originals ?? (realFs as unknown as FsLike);
}

function tracker(): Tracker | undefined {
  return (globalThis as Record<symbol, Tracker | undefined>)[TRACKER];
}

/** Starts tracking (once per process); does nothing outside a frozen run. */
export function trackFileAccess(): void {
  const copy = process.env[WORKSPACE_COPY_ENV];
  if (!copy || tracker()) return;
  const fs = nodeModule.createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
  originals = {
    statSync: fs.statSync.bind(fs) as FsLike['statSync'],
    readdirSync: fs.readdirSync.bind(fs) as FsLike['readdirSync'],
    realpathSync: { native: fs.realpathSync.native.bind(fs) }
  };
  const state: Tracker = { copyRoot: realOrSelf(copy), inCopy: new Map(), outside: new Map(), seen: new Map() };
  (globalThis as Record<symbol, Tracker>)[TRACKER] = state;
  wrapNodeFs(fs);
  // `import { readFileSync } from 'node:fs'` sees the wrapped functions too (Deno may not have it).
  (nodeModule as { syncBuiltinESMExports?: () => void }).syncBuiltinESMExports?.();
  wrapDeno();
}

/** The step's report, each outside path stat-ed again now. Undefined when nothing was tracked. */
export function fileAccessReport(): FileAccessReport | undefined {
  const state = tracker();
  if (!state) return undefined;
  noteLoadedModules();
  const read: string[] = [];
  const listed: string[] = [];
  const wrote: string[] = [];
  for (const [path, kinds] of state.inCopy) {
    if (kinds.has('read')) read.push(path);
    if (kinds.has('list')) listed.push(path);
    if (kinds.has('write')) wrote.push(path);
  }
  const outside = [...state.outside].map(([path, touch]) => ({
    path,
    how: touch.how,
    first: touch.first,
    last: signatureOf(path, touch.how)
  }));
  return { read: read.sort(), listed: listed.sort(), wrote: wrote.sort(), outside };
}

/** Records a touch of `given` (a path, a file URL or a Buffer; descriptors are not paths). */
export function noteTouch(given: unknown, how: TouchKind): void {
  const state = tracker();
  if (!state) return;
  const path = pathOf(given);
  if (path === undefined) return;
  let real = state.seen.get(path);
  if (real === undefined) {
    real = classify(state, path);
    state.seen.set(path, real);
  }
  if (real === null) return;
  if (real.startsWith('copy:')) {
    const inside = real.slice(5);
    const kinds = state.inCopy.get(inside) ?? new Set<TouchKind>();
    kinds.add(how);
    state.inCopy.set(inside, kinds);
    return;
  }
  const touch = state.outside.get(real);
  if (!touch) state.outside.set(real, { how, first: signatureOf(real, how), kinds: new Set([how]) });
  else if (!touch.kinds.has(how)) {
    touch.kinds.add(how);
    if (how === 'write' || (how === 'list' && touch.how === 'read')) touch.how = how;
    if (how === 'list' && touch.how === 'list') touch.first = signatureOf(real, how);
  }
}

function pathOf(given: unknown): string | undefined {
  try {
    if (typeof given === 'string') return resolve(given);
    if (given instanceof URL) return given.protocol === 'file:' ? fileURLToPath(given) : undefined;
    if (given instanceof Uint8Array) return resolve(Buffer.from(given).toString());
  } catch {
    // not a path
  }
  return undefined;
}

const SYSTEM = ['/proc/', '/sys/', '/dev/'];
/** Code whose own hash is in every key: Node's install and cellflow's package. */
const OWN_CODE = [dirname(dirname(process.execPath)), resolve(fileURLToPath(new URL('../..', import.meta.url)))];

/** `copy:<relative>` in the copy, the resolved path outside it, or null when its key covers it elsewhere. */
function classify(state: Tracker, path: string): string | null {
  const real = realOrSelf(path);
  const inside = relative(state.copyRoot, real);
  if (inside === '') return null;
  if (!inside.startsWith('..') && !isAbsolute(inside)) {
    const parts = inside.split(sep);
    if (parts[0] === '.cellflow' || parts.includes('node_modules')) return null;
    return `copy:${parts.join('/')}`;
  }
  const parts = real.split(sep);
  if (parts.includes('.cellflow') || parts.includes('node_modules')) return null;
  if (SYSTEM.some(prefix => real.startsWith(prefix))) return null;
  if (OWN_CODE.some(root => real === root || real.startsWith(root + sep))) return null;
  return real;
}

/** The path with symbolic links resolved; a missing path: its nearest existing folder's, plus the rest. */
function realOrSelf(path: string): string {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      const real = nodeFs().realpathSync.native(current);
      return rest.length === 0 ? real : join(real, ...rest.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(current.slice(parent.length).replace(/^[\\/]/, ''));
      current = parent;
    }
  }
}

/** Modules loaded with `require` (CommonJS); ES modules are reported by the loader hooks (file-access-hooks.ts). */
function noteLoadedModules(): void {
  const cache = nodeModule.createRequire(import.meta.url).cache;
  for (const file of Object.keys(cache)) noteTouch(file, 'read');
}

/** Is `flags` (of `open`) a write? */
function opensForWrite(flags: unknown): boolean {
  if (flags === undefined || flags === null) return false;
  if (typeof flags === 'number') return (flags & 3) !== 0 || (flags & 0o1100) !== 0; // O_WRONLY/O_RDWR, O_CREAT/O_TRUNC
  return /[wa+]/.test(String(flags));
}

type AnyFunction = (...args: unknown[]) => unknown;

/** Wraps `object[name]` so `note(args)` runs before it, keeping its properties (`realpathSync.native`, promisify). */
function wrap(object: Record<string, unknown>, name: string, note: (args: unknown[]) => void): void {
  const original = object[name];
  if (typeof original !== 'function') return;
  const wrapped = function (this: unknown, ...args: unknown[]) {
    try {
      note(args);
    } catch {
      // tracking never breaks the step's own call
    }
    return (original as AnyFunction).apply(this, args);
  };
  Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original));
  try {
    object[name] = wrapped;
  } catch {
    // a read-only binding (some runtimes): left as it is
  }
}

const first = (how: TouchKind) => (args: unknown[]) => noteTouch(args[0], how);
const firstTwo = (a: TouchKind, b: TouchKind) => (args: unknown[]) => {
  noteTouch(args[0], a);
  noteTouch(args[1], b);
};
const openNote = (args: unknown[]) => noteTouch(args[0], opensForWrite(args[1]) ? 'write' : 'read');
const streamNote = (how: TouchKind) => (args: unknown[]) => {
  const options = args[1];
  const flags = typeof options === 'object' && options !== null ? (options as { flags?: unknown }).flags : undefined;
  noteTouch(args[0], how === 'read' && opensForWrite(flags) ? 'write' : how);
};

const READS = ['readFile', 'stat', 'lstat', 'exists', 'access', 'readlink'];
const LISTS = ['readdir', 'opendir'];
// Not `mkdir`: a folder's existence is not what steps hand each other (two steps may both make `out/`).
const WRITES = ['writeFile', 'appendFile', 'truncate', 'unlink', 'rm', 'rmdir', 'utimes', 'chmod'];
const READ_THEN_WRITE = ['copyFile', 'cp', 'link', 'symlink'];

function wrapNodeFs(fs: typeof import('node:fs')): void {
  const all = fs as unknown as Record<string, unknown>;
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const base of READS) {
    for (const name of [base, `${base}Sync`]) wrap(all, name, first('read'));
    wrap(promises, base, first('read'));
  }
  for (const base of LISTS) {
    for (const name of [base, `${base}Sync`]) wrap(all, name, first('list'));
    wrap(promises, base, first('list'));
  }
  for (const base of WRITES) {
    for (const name of [base, `${base}Sync`]) wrap(all, name, first('write'));
    wrap(promises, base, first('write'));
  }
  for (const base of READ_THEN_WRITE) {
    for (const name of [base, `${base}Sync`]) wrap(all, name, firstTwo('read', 'write'));
    wrap(promises, base, firstTwo('read', 'write'));
  }
  for (const name of ['rename', 'renameSync']) wrap(all, name, firstTwo('write', 'write'));
  wrap(promises, 'rename', firstTwo('write', 'write'));
  for (const name of ['open', 'openSync']) wrap(all, name, openNote);
  wrap(promises, 'open', openNote);
  wrap(all, 'createReadStream', streamNote('read'));
  wrap(all, 'createWriteStream', streamNote('write'));
}

/** Deno's own file functions (its `node:fs` is wrapped above). */
function wrapDeno(): void {
  const deno = (globalThis as { Deno?: Record<string, unknown> }).Deno;
  if (!deno) return;
  const reads = ['readFile', 'readTextFile', 'stat', 'lstat', 'readLink', 'realPath'];
  const writes = ['writeFile', 'writeTextFile', 'remove', 'truncate', 'chmod', 'utime'];
  for (const base of reads) for (const name of [base, `${base}Sync`]) wrap(deno, name, first('read'));
  for (const name of ['readDir', 'readDirSync']) wrap(deno, name, first('list'));
  for (const base of writes) for (const name of [base, `${base}Sync`]) wrap(deno, name, first('write'));
  for (const name of ['copyFile', 'copyFileSync', 'link', 'linkSync', 'symlink', 'symlinkSync'])
    wrap(deno, name, firstTwo('read', 'write'));
  for (const name of ['rename', 'renameSync']) wrap(deno, name, firstTwo('write', 'write'));
  const denoOpen = (args: unknown[]) => {
    const options = args[1] as { write?: boolean; append?: boolean; create?: boolean; truncate?: boolean } | undefined;
    const writes = options && (options.write || options.append || options.create || options.truncate);
    noteTouch(args[0], writes ? 'write' : 'read');
  };
  for (const name of ['open', 'openSync']) wrap(deno, name, denoOpen);
  for (const name of ['create', 'createSync']) wrap(deno, name, first('write'));
}
