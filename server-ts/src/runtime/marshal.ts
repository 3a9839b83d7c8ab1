/**
 * Saves and loads the values that travel between step processes.
 *
 * A step saves all its outputs with ONE `saveValues` call: they are encoded
 * as one graph with one identity map, so `a === b`, shared sub-objects,
 * cycles, several views of one ArrayBuffer, and Map keys that are also
 * variables survive across the values. Values that share any object (or
 * tensor data) form a group; each group is stored on its own, so a consumer
 * that needs a small value does not read a big unrelated one. `loadValues`
 * loads every group that holds one of the asked names and returns all the
 * names of those groups, decoded together.
 *
 * On disk, per group `<id>` (its alphabetically first name) in `<dir>`:
 *   <id>.json    manifest, written last: format, version, the group's names
 *                and kinds, the step that saved it, the classes and functions
 *                loading needs, and every data file with its byte size. A
 *                group exists exactly when its manifest does.
 *   <id>.v8      v8.serialize output: the values themselves when they are
 *                plain structured-clone data (encoding 'plain'), otherwise a
 *                skeleton with markers (encoding 'marked', see skeleton.ts
 *                and codecs/).
 *   <id>.<n>.bin blob n: raw bytes of one large ArrayBuffer or
 *                SharedArrayBuffer (> 64 KiB, whatever views it), one large
 *                tensor, or one layers model's weights (model weights, then
 *                optimizer weights). Written straight from the value's memory.
 *
 * Every file is written to a hidden temp name (`.<id>.<pid>.<random>.tmp`)
 * and renamed into place. Committing removes the manifests of every group it
 * replaces first (a group that holds any of the names saved, or has one of
 * the new ids; such a group's other names are gone too), then their data
 * files, then renames the new data files, then the new manifests: a process
 * killed at any point leaves each group old, new or absent, never a mix that
 * would load. Load checks every file's size against the manifest. Nothing is
 * written until every value has been checked (MarshalError leaves no file).
 * Files are not fsynced: this guards against a killed process, not against
 * power loss.
 *
 * What comes back exactly (same structure, same identities within the
 * loaded groups):
 *  - primitives: -0, NaN, undefined, BigInt; registered symbols
 *    (`Symbol.for(k)`) and well-known symbols, as values and as keys;
 *  - plain objects, null-prototype objects, objects made with
 *    `Object.create(o)` from another object of the data, and instances of
 *    classes and ES5 constructor functions from `functions` cells (loaded with
 *    the consuming step's class of that name; constructors do not run);
 *  - every own property, string- or symbol-keyed, enumerable or not, with its
 *    writable/enumerable/configurable attributes and in its order, and each
 *    object's extensible/sealed/frozen state;
 *  - arrays with holes, extra non-index properties and odd `length`; Maps and
 *    Sets (object keys keep identity); Dates (invalid too); RegExps with
 *    flags and `lastIndex`; boxed primitives; Errors of every built-in type
 *    and notebook subclasses, with message, stack, cause, AggregateError's
 *    `errors` and extra fields; URL and URLSearchParams (a URL's own
 *    `searchParams` stays linked); subclasses of Array, Map, Set, Date,
 *    RegExp, Error and the boxed types keep their internal data;
 *  - ArrayBuffers and SharedArrayBuffers, and typed arrays, DataViews and
 *    Buffers as views of them: views of one buffer load as views of one
 *    buffer, with their offsets and lengths, and `view.buffer` is that buffer;
 *  - tfjs tensors (every dtype) and tf.Variables; layers models with their
 *    optimizer state (Adam's accBeta1/accBeta2 bit-exact), and the model's
 *    layers, optimizer and weight variables when the data holds them too
 *    (`model2.layers[0] === layer2`);
 *  - functions and classes from `functions` cells, referenced from data, as
 *    the consuming step's function of that name (their own properties, such
 *    as static fields, are the consuming step's).
 *
 * Refused with a MarshalError (variable, path inside it, producing step,
 * consuming steps, and what to do): getters/setters (own accessor
 * properties), instances of classes with `#private` members, functions not
 * from a `functions` cell (closures, bound, built-in and generator functions),
 * unique symbols (`Symbol('x')`: the consumer's own would be another one),
 * generator objects, iterators, Promises, WeakMap/WeakSet/WeakRef/
 * FinalizationRegistry, sockets, servers, streams, event emitters, open files,
 * module namespace objects, `arguments` objects, Proxies, resizable
 * ArrayBuffers and growable SharedArrayBuffers, disposed tensors, tfjs
 * layers or optimizers saved without their model, instances of classes no
 * `functions` cell defines (built-in and imported ones get "recreate it in
 * the step that uses it"), and nesting deeper than the call stack.
 * Not detected: a URL or URLSearchParams whose prototype was replaced, and
 * the internal data of other exotic built-ins given a plain prototype.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { types } from 'node:util';
import v8 from 'node:v8';
import { decodeGroup } from './decode.js';
import { encodeValues, type EncodedGroup, type Requirement } from './encode.js';
import { MarshalError, ValueLoadError } from './errors.js';
import { isTempFileOf, listFiles, readExactly, removeIfPresent, tempFileFor, writeChunks } from './files.js';
import type { NotebookClass } from './notebook-class.js';
import type { Skeleton } from './skeleton.js';
import { isLayersModelLike, isTensorLike } from './tf-values.js';
import { portableFingerprint } from './fingerprint.js';
import { loadTf, type TfModule } from './tfjs.js';

export type ValueKind =
  'tensor' | 'model' | 'buffer' | 'typed-array' | 'array-buffer' | 'instance' | 'class' | 'function' | 'data';

export interface SaveValuesContext {
  /** The step that produces the values. */
  step: string;
  /** The steps that read each value, by name. */
  consumers: Readonly<Record<string, readonly string[]>>;
  /** Classes defined in the notebook's `functions` cells, by name. */
  classes: Readonly<Record<string, NotebookClass>>;
  /** Functions defined in the notebook's `functions` cells, by name. */
  functions?: Readonly<Record<string, NotebookClass>>;
  /**
   * Record each value's portable fingerprint in its manifest (the plan check's: a consuming step compares it with
   * the value as its cells leave it, instead of fingerprinting the value as loaded too).
   */
  fingerprints?: boolean;
}

export interface LoadValuesContext {
  /** The step that produced the values. */
  step: string;
  /** The step loading them. */
  consumer: string;
  classes: Readonly<Record<string, NotebookClass>>;
  functions?: Readonly<Record<string, NotebookClass>>;
}

/** The single-value context of saveValue/loadValue. */
export interface MarshalContext {
  /** The step that produces the value (when loading too). */
  step: string;
  /** The steps that read the value; when loading, the step loading it. */
  consumers: string[];
  /** Classes defined in the notebook's `functions` cells, by name. */
  classes: Record<string, NotebookClass>;
  /** Functions defined in the notebook's `functions` cells, by name. */
  functions?: Record<string, NotebookClass>;
}

export interface SavedValueInfo {
  name: string;
  /** Bytes on disk of the value's group, manifest included (shared by the group's names). */
  bytes: number;
  kind: ValueKind;
  /** The names saved with it in one group (itself included), sorted; group[0] names its files. */
  group: string[];
}

export const manifestFormat = 'cellflow-value';
export const manifestVersion = 2;

export interface ValueManifest {
  format: typeof manifestFormat;
  version: number;
  /** The group id: its first name, which names its files. */
  group: string;
  /** The values in the group, in the order the payload holds them. */
  names: string[];
  kinds: Record<string, ValueKind>;
  /** The step that saved it. */
  step: string;
  savedAt: string;
  /** The Node.js that wrote the v8 data (v8 reads older formats, not newer). */
  node: string;
  encoding: 'plain' | 'marked';
  needsTf: boolean;
  /** Classes and functions of `functions` cells that loading needs, and where first. */
  requires: Requirement[];
  data: StoredFile;
  blobs: (StoredFile & { what: string })[];
  /** Portable fingerprints of the values as saved, by name (runtime/fingerprint.ts); absent for values with none. */
  fingerprints?: Record<string, string>;
}

export interface StoredFile {
  file: string;
  bytes: number;
}

/** What a format-1 manifest (one value per file set) had that format 2 reads. */
interface ManifestV1 {
  format: typeof manifestFormat;
  version: 1;
  name: string;
  step: string;
  encoding: 'plain' | 'marked';
  data: StoredFile;
}

const variableName = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u;

export async function saveValues(
  dir: string,
  values: Readonly<Record<string, unknown>>,
  ctx: SaveValuesContext
): Promise<SavedValueInfo[]> {
  const names = Object.keys(values);
  for (const name of names) assertVariableName(name);
  const functions = ctx.functions ?? {};
  const encoded = await encodeValues(
    names.map(name => values[name]),
    { names, step: ctx.step, consumers: ctx.consumers, classes: ctx.classes, functions }
  );
  const groups = encoded.map(group => {
    const groupNames = group.members.map(i => names[i]!);
    const sorted = [...groupNames].sort();
    const data = serialize(group, groupNames, ctx);
    // Right after serializing, with no await between: the fingerprint is of the value as written.
    const fingerprints = ctx.fingerprints ? portableFingerprints(groupNames, values) : undefined;
    return { group, names: sorted, id: sorted[0]!, data, fingerprints };
  });
  await mkdir(dir, { recursive: true });

  const staged: { temp: string; file: string }[] = [];
  const stage = async (id: string, file: string, chunks: readonly Uint8Array[]): Promise<number> => {
    const temp = tempFileFor(dir, id);
    staged.push({ temp, file });
    return writeChunks(temp, chunks);
  };
  const manifests: { temp: string; file: string }[] = [];
  const infos: SavedValueInfo[] = [];
  try {
    for (const { group, names: groupNames, id, data, fingerprints } of groups) {
      const kinds: Record<string, ValueKind> = {};
      for (const name of groupNames) kinds[name] = kindOf(values[name], ctx.classes);
      const manifest: ValueManifest = {
        format: manifestFormat,
        version: manifestVersion,
        group: id,
        names: group.members.map(i => names[i]!),
        kinds,
        step: ctx.step,
        savedAt: new Date().toISOString(),
        node: process.version,
        encoding: group.marked ? 'marked' : 'plain',
        needsTf: group.needsTf,
        requires: group.requires,
        data: { file: `${id}.v8`, bytes: await stage(id, `${id}.v8`, [data]) },
        blobs: [],
        ...(fingerprints && Object.keys(fingerprints).length > 0 ? { fingerprints } : {})
      };
      for (const [index, blob] of group.blobs.entries()) {
        const file = `${id}.${index}.bin`;
        manifest.blobs.push({ file, bytes: await stage(id, file, blob.chunks), what: blob.what });
      }
      const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      const temp = tempFileFor(dir, id);
      manifests.push({ temp, file: `${id}.json` });
      await writeChunks(temp, [manifestBytes]);
      const bytes =
        manifest.blobs.reduce((sum, blob) => sum + blob.bytes, manifest.data.bytes) + manifestBytes.byteLength;
      for (const name of groupNames) infos.push({ name, bytes, kind: kinds[name]!, group: groupNames });
    }
    await commit(
      dir,
      names,
      groups.map(g => g.id),
      staged,
      manifests
    );
  } catch (error) {
    await Promise.all([...staged, ...manifests].map(({ temp }) => removeIfPresent(temp).catch(() => undefined)));
    throw error;
  }
  return names.map(name => infos.find(info => info.name === name)!);
}

export async function loadValues(
  dir: string,
  names: readonly string[],
  ctx: LoadValuesContext
): Promise<Record<string, unknown>> {
  return loadNamed(dir, names, ctx, { step: ctx.step, consumers: [ctx.consumer] });
}

async function loadNamed(
  dir: string,
  names: readonly string[],
  ctx: LoadValuesContext,
  where: { step: string; consumers: readonly string[] }
): Promise<Record<string, unknown>> {
  for (const name of names) assertVariableName(name);
  const found = new Map<string, { manifest: ValueManifest | ManifestV1; asked: string }>();
  let index: Map<string, ValueManifest | ManifestV1> | undefined;
  for (const name of names) {
    let manifest = await readManifestIfNamed(dir, name, where);
    if (!manifest) {
      index ??= await indexManifests(dir);
      manifest = index.get(name);
    }
    if (!manifest) {
      const file = join(dir, `${name}.json`);
      throw new ValueLoadError(
        name,
        where,
        file,
        `no saved value (${file} does not exist); step \`${ctx.step}\` has not finished, or did not save \`${name}\``
      );
    }
    const id = groupId(manifest);
    if (!found.has(id)) found.set(id, { manifest, asked: name });
  }
  const result: Record<string, unknown> = {};
  for (const { manifest, asked } of found.values()) {
    Object.assign(result, await loadGroup(dir, manifest, asked, ctx, where));
  }
  return result;
}

/** What a step's outputs folder holds: every saved name, and the groups they were saved in. */
export function savedValueNames(dir: string): { names: string[]; groups: string[][] } {
  const { groups } = savedValues(dir);
  return { names: groups.flat().sort(), groups };
}

/** The portable fingerprints the saving step recorded, by name (values with none are left out). */
export function recordedFingerprints(dir: string): Record<string, string> {
  return savedValues(dir).fingerprints;
}

/** The groups saved in `dir` and the fingerprints recorded for their values, from one read of its manifests. */
export function savedValues(dir: string): { groups: string[][]; fingerprints: Record<string, string> } {
  const groups: string[][] = [];
  const fingerprints: Record<string, string> = {};
  for (const manifest of readManifests(dir)) {
    groups.push([...namesOf(manifest)].sort());
    const recorded = 'fingerprints' in manifest ? manifest.fingerprints : undefined;
    for (const name of namesOf(manifest)) {
      if (typeof recorded?.[name] === 'string') fingerprints[name] = recorded[name];
    }
  }
  return { groups, fingerprints };
}

/** The folder's readable manifests, in file name order. */
function readManifests(dir: string): (ValueManifest | ManifestV1)[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const manifests: (ValueManifest | ManifestV1)[] = [];
  for (const file of files.filter(isManifestName).sort()) {
    try {
      const manifest = parseManifest(readFileSync(join(dir, file), 'utf8'));
      if (manifest) manifests.push(manifest);
    } catch {
      // unreadable: not a value
    }
  }
  return manifests;
}

function portableFingerprints(names: readonly string[], values: Readonly<Record<string, unknown>>) {
  const fingerprints: Record<string, string> = {};
  for (const name of names) {
    const recorded = portableFingerprint(values[name]);
    if (recorded) fingerprints[name] = recorded.fingerprint;
  }
  return fingerprints;
}

export async function saveValue(
  dir: string,
  name: string,
  value: unknown,
  ctx: MarshalContext
): Promise<SavedValueInfo> {
  assertVariableName(name);
  const [info] = await saveValues(
    dir,
    { [name]: value },
    { step: ctx.step, consumers: { [name]: ctx.consumers }, classes: ctx.classes, functions: ctx.functions }
  );
  return info!;
}

export async function loadValue(dir: string, name: string, ctx: MarshalContext): Promise<unknown> {
  assertVariableName(name);
  const values = await loadNamed(
    dir,
    [name],
    { step: ctx.step, consumer: ctx.consumers[0] ?? '', classes: ctx.classes, functions: ctx.functions },
    { step: ctx.step, consumers: ctx.consumers }
  );
  return values[name];
}

function assertVariableName(name: string): void {
  if (!variableName.test(name)) {
    throw new TypeError(`cellflow: \`${name}\` is not a variable name, so it cannot name a saved value`);
  }
}

function serialize(group: EncodedGroup, names: string[], ctx: SaveValuesContext): Buffer {
  try {
    return v8.serialize(group.payload);
  } catch (error) {
    // The walk should have caught everything; this is the last line of defence.
    const variable = names[0]!;
    const message = error instanceof Error ? error.message : String(error);
    const tooDeep = error instanceof RangeError && /call stack/i.test(message);
    throw new MarshalError({
      variable,
      step: ctx.step,
      consumers: ctx.consumers[variable] ?? [],
      path: variable,
      what: tooDeep ? 'nested more deeply than the call stack allows' : `a value v8.serialize refuses (${message})`,
      hint: tooDeep
        ? 'flatten it (say, an array of nodes that refer to each other by index instead of a long chain)'
        : 'hand on plain data (objects, arrays, numbers, strings), tensors or models'
    });
  }
}

/**
 * Swaps the staged files in: the manifests of every group being replaced out
 * first (those groups stop existing), then their stale data files and
 * leftovers of killed saves, then the new data files, then the new manifests
 * (each new group exists again, complete).
 */
async function commit(
  dir: string,
  names: readonly string[],
  ids: readonly string[],
  staged: { temp: string; file: string }[],
  manifests: { temp: string; file: string }[]
): Promise<void> {
  const saved = new Set(names);
  const replaced = new Set(ids);
  for (const [id, manifest] of await manifestsIn(dir)) {
    if (namesOf(manifest).some(name => saved.has(name))) replaced.add(id);
  }
  await Promise.all([...replaced].map(id => removeIfPresent(join(dir, `${id}.json`))));
  const ours = new Set([...staged, ...manifests].map(({ temp }) => temp));
  const stale = (await listFiles(dir)).filter(file =>
    [...replaced].some(id => isDataFileOf(file, id) || (isTempFileOf(file, id) && !ours.has(join(dir, file))))
  );
  await Promise.all(stale.map(file => removeIfPresent(join(dir, file))));
  for (const { temp, file } of staged) await rename(temp, join(dir, file));
  for (const { temp, file } of manifests) await rename(temp, join(dir, file));
}

function isDataFileOf(file: string, id: string): boolean {
  if (!file.startsWith(`${id}.`)) return false;
  const rest = file.slice(id.length + 1);
  return rest === 'v8' || /^\d+\.bin$/.test(rest);
}

function isManifestName(file: string): boolean {
  return file.endsWith('.json') && !file.startsWith('.') && variableName.test(file.slice(0, -5));
}

/** Every readable manifest in `dir`, by group id. */
async function manifestsIn(dir: string): Promise<Map<string, ValueManifest | ManifestV1>> {
  const found = new Map<string, ValueManifest | ManifestV1>();
  for (const file of (await listFiles(dir)).filter(isManifestName)) {
    const manifest = parseManifest(await readFile(join(dir, file), 'utf8').catch(() => ''));
    if (manifest) found.set(file.slice(0, -5), manifest);
  }
  return found;
}

/** Every saved name in `dir` -> its group's manifest. */
async function indexManifests(dir: string): Promise<Map<string, ValueManifest | ManifestV1>> {
  const index = new Map<string, ValueManifest | ManifestV1>();
  for (const manifest of (await manifestsIn(dir)).values()) {
    for (const name of namesOf(manifest)) index.set(name, manifest);
  }
  return index;
}

function parseManifest(text: string): ValueManifest | ManifestV1 | undefined {
  try {
    const manifest = JSON.parse(text) as Partial<ValueManifest>;
    if (manifest.format !== manifestFormat || typeof manifest.version !== 'number') return undefined;
    return manifest as ValueManifest;
  } catch {
    return undefined;
  }
}

function namesOf(manifest: ValueManifest | ManifestV1): string[] {
  return 'names' in manifest && Array.isArray(manifest.names) ? manifest.names : [(manifest as ManifestV1).name];
}

function groupId(manifest: ValueManifest | ManifestV1): string {
  return 'group' in manifest && typeof manifest.group === 'string' ? manifest.group : (manifest as ManifestV1).name;
}

/**
 * `<name>.json` when it exists and is the manifest of a group holding `name`;
 * undefined when there is no such file (the name may sit in another group).
 */
async function readManifestIfNamed(
  dir: string,
  name: string,
  where: { step: string; consumers: readonly string[] }
): Promise<ValueManifest | ManifestV1 | undefined> {
  const file = join(dir, `${name}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ValueLoadError(name, where, file, `cannot read ${file} (${(error as Error).message})`);
  }
  let manifest: Partial<ValueManifest>;
  try {
    manifest = JSON.parse(text) as Partial<ValueManifest>;
  } catch {
    throw new ValueLoadError(name, where, file, `${file} is not valid JSON; re-run step \`${where.step}\``);
  }
  if (manifest.format !== manifestFormat || typeof manifest.version !== 'number') {
    throw new ValueLoadError(name, where, file, `${file} is not a cellflow value manifest`);
  }
  if (manifest.version > manifestVersion) {
    throw new ValueLoadError(
      name,
      where,
      file,
      `it was saved in format ${manifest.version} by a newer cellflow; this runtime reads format ${manifestVersion}`
    );
  }
  const typed = manifest as ValueManifest | ManifestV1;
  return namesOf(typed).includes(name) ? typed : undefined;
}

async function loadGroup(
  dir: string,
  manifest: ValueManifest | ManifestV1,
  asked: string,
  ctx: LoadValuesContext,
  where: { step: string; consumers: readonly string[] }
): Promise<Record<string, unknown>> {
  const manifestFile = join(dir, `${groupId(manifest)}.json`);
  const fail = (file: string, problem: string): ValueLoadError =>
    new ValueLoadError(asked, where, join(dir, file), problem);
  const readStored = async (stored: StoredFile): Promise<ArrayBuffer> => {
    const bytes = await readExactly(join(dir, stored.file), stored.bytes).catch(() => undefined);
    if (bytes) return bytes;
    throw fail(
      stored.file,
      `${stored.file} is missing or not ${stored.bytes} bytes long, so the saved value is incomplete; ` +
        `re-run step \`${manifest.step}\` that produces it`
    );
  };

  if (manifest.version === 1) {
    const v1 = manifest as ManifestV1;
    if (v1.encoding !== 'plain') {
      throw fail(
        `${v1.name}.json`,
        `it was saved in format 1 by an older cellflow, which this runtime cannot read; re-run step \`${v1.step}\``
      );
    }
    return { [v1.name]: v8.deserialize(Buffer.from(await readStored(v1.data))) };
  }

  const current = manifest as ValueManifest;
  const functions = ctx.functions ?? {};
  for (const need of current.requires ?? []) {
    const registry = need.registry === 'class' ? ctx.classes : functions;
    if (typeof registry[need.name] === 'function') continue;
    throw fail(current.data.file, missingProblem(need.registry, need.name, need.path, need.instance));
  }
  const payload: unknown = v8.deserialize(Buffer.from(await readStored(current.data)));
  let roots: unknown[];
  if (current.encoding === 'plain') {
    roots = payload as unknown[];
  } else {
    const blobs: ArrayBuffer[] = [];
    for (const blob of current.blobs) blobs.push(await readStored(blob));
    const tf = current.needsTf ? await loadTfFor(asked, where, manifestFile) : undefined;
    try {
      roots = await decodeGroup(payload as Skeleton, {
        blobs,
        tf,
        classes: ctx.classes,
        functions,
        missing: (registry, name, path, instance) =>
          fail(current.data.file, missingProblem(registry, name, path, instance)),
        unreadable: problem => fail(current.data.file, `${problem}; re-run step \`${current.step}\``)
      });
    } catch (error) {
      if (error instanceof ValueLoadError) throw error;
      const file = current.blobs.find(b => b.what.startsWith('layers model'))?.file ?? current.data.file;
      throw fail(
        file,
        `it cannot be rebuilt (${(error as Error).message}); if it holds a layers model with custom layers, ` +
          'register them with tf.serialization.registerClass in a cell tagged `functions`'
      );
    }
  }
  const result: Record<string, unknown> = {};
  current.names.forEach((name, i) => {
    result[name] = roots[i];
  });
  return result;
}

function missingProblem(registry: 'class' | 'function', name: string, path: string, instance: boolean): string {
  const what = instance ? `is an instance of ${registry} \`${name}\`` : `is the ${registry} \`${name}\``;
  return (
    `\`${path}\` ${what}, which no cell tagged \`functions\` defines here; ` +
    `define ${registry} \`${name}\` in a cell tagged \`functions\` so every step can rebuild it`
  );
}

async function loadTfFor(
  name: string,
  where: { step: string; consumers: readonly string[] },
  file: string
): Promise<TfModule> {
  try {
    return await loadTf();
  } catch (error) {
    throw new ValueLoadError(name, where, file, `it holds tensors, and ${(error as Error).message}`);
  }
}

function kindOf(value: unknown, classes: Readonly<Record<string, NotebookClass>>): ValueKind {
  if (typeof value === 'function')
    return Object.values(classes).includes(value as NotebookClass) ? 'class' : 'function';
  if (typeof value !== 'object' || value === null) return 'data';
  try {
    if (isTensorLike(value)) return 'tensor';
    if (isLayersModelLike(value)) return 'model';
  } catch {
    // a getter threw: not a tfjs value
  }
  if (Buffer.isBuffer(value)) return 'buffer';
  if (ArrayBuffer.isView(value)) return 'typed-array';
  if (types.isAnyArrayBuffer(value)) return 'array-buffer';
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== null && proto !== Object.prototype && Object.values(classes).some(c => c.prototype === proto)) {
    return 'instance';
  }
  return 'data';
}
