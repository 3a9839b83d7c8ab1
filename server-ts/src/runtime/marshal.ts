/**
 * Saves and loads the values that travel between step processes.
 *
 * On disk, per value `<name>` in `<dir>`:
 *   <name>.json    manifest, written last: format, version, kind, the step
 *                  that saved it, and every data file with its byte size.
 *                  A value exists exactly when its manifest does.
 *   <name>.v8      v8.serialize output: the value itself when it is plain
 *                  structured-clone data (encoding 'plain'), otherwise a
 *                  skeleton with markers for tensors, models, binary views,
 *                  errors and class instances (encoding 'marked', see
 *                  skeleton.ts).
 *   <name>.<n>.bin blob n: raw little-endian bytes of one large tensor, typed
 *                  array, Buffer or ArrayBuffer (> 64 KiB), or one layers
 *                  model's weights (model weights, then optimizer weights,
 *                  laid out as the weight specs in the skeleton say).
 *                  Written straight from the value's own memory.
 *
 * Every file is written to a hidden temp name (`.<name>.<pid>.<random>.tmp`)
 * and renamed into place. Committing removes the old manifest first and
 * renames the new one last, so a process killed at any point leaves either
 * the old value, the new value, or none; never a mix that would load. Load
 * also checks every file's size against the manifest. Nothing is written
 * until the whole value has been checked (MarshalError leaves no file), and
 * a save that fails before its commit leaves an earlier value of the same
 * name as it was. Files are not fsynced: this guards against a killed
 * process, not against power loss.
 *
 * Identity: shared references and cycles survive through plain objects,
 * arrays, Maps, Sets, class instances, tensors and models (the same object
 * reached twice loads as one object). Not preserved: typed arrays that view
 * the same ArrayBuffer load with separate buffers (each view keeps only its
 * own bytes, like Node's v8 serializer), a view and its `.buffer` load
 * unrelated, and tensors that shared data load as separate tensors.
 * Not restored: symbol-keyed and non-enumerable properties (as in
 * v8.serialize), `#private` fields and constructor-captured closures of class
 * instances, null prototypes (plain objects come back with Object.prototype),
 * extra non-index properties of arrays in a marked value, the internal data
 * of a registered class extending a built-in other than Map, Set, Array or
 * Error (a Date subclass loses its date), AggregateError's `errors`.
 * Nesting depth is bounded by the call stack, as in v8.serialize.
 */
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import v8 from 'node:v8';
import { decodeValue } from './decode.js';
import { encodeValue, type EncodedValue, type ValueKind } from './encode.js';
import { MarshalError, ValueLoadError } from './errors.js';
import { isTempFileOf, listFiles, readExactly, removeIfPresent, tempFileFor, writeChunks } from './files.js';
import type { ModelMarker, Skeleton } from './skeleton.js';
import { restoreLayersModel } from './tf-values.js';
import { loadTf, type TfModule } from './tfjs.js';
import type { NotebookClass } from './notebook-class.js';

export type { ValueKind } from './encode.js';

export interface MarshalContext {
  /** The step that produces the value (when loading too). */
  step: string;
  /** The steps that read the value; when loading, the step loading it. */
  consumers: string[];
  /** Classes defined in the notebook's `functions` cells, by name. */
  classes: Record<string, NotebookClass>;
}

export interface SavedValueInfo {
  name: string;
  /** Bytes on disk, manifest included. */
  bytes: number;
  kind: ValueKind;
}

export const manifestFormat = 'cellflow-value';
export const manifestVersion = 1;

export interface ValueManifest {
  format: typeof manifestFormat;
  version: number;
  name: string;
  kind: ValueKind;
  /** The step that saved it. */
  step: string;
  savedAt: string;
  /** The Node.js that wrote the v8 data (v8 reads older formats, not newer). */
  node: string;
  encoding: 'plain' | 'marked';
  needsTf: boolean;
  data: StoredFile;
  blobs: (StoredFile & { what: string })[];
}

export interface StoredFile {
  file: string;
  bytes: number;
}

const variableName = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u;

export async function saveValue(
  dir: string,
  name: string,
  value: unknown,
  ctx: MarshalContext
): Promise<SavedValueInfo> {
  assertVariableName(name);
  const encoded = await encodeValue(value, { variable: name, ...ctx });
  const data = serialize(encoded, name, ctx);
  await mkdir(dir, { recursive: true });

  const staged: { temp: string; file: string }[] = [];
  const stage = async (file: string, chunks: readonly Uint8Array[]): Promise<number> => {
    const temp = tempFileFor(dir, name);
    staged.push({ temp, file });
    return writeChunks(temp, chunks);
  };
  try {
    const manifest: ValueManifest = {
      format: manifestFormat,
      version: manifestVersion,
      name,
      kind: encoded.kind,
      step: ctx.step,
      savedAt: new Date().toISOString(),
      node: process.version,
      encoding: encoded.marked ? 'marked' : 'plain',
      needsTf: encoded.needsTf,
      data: { file: `${name}.v8`, bytes: await stage(`${name}.v8`, [data]) },
      blobs: []
    };
    for (const [index, blob] of encoded.blobs.entries()) {
      const file = `${name}.${index}.bin`;
      manifest.blobs.push({
        file,
        bytes: await stage(file, blob.chunks),
        what: blob.what
      });
    }
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await stage(`${name}.json`, [manifestBytes]);
    await commit(dir, name, staged);
    const dataBytes = manifest.blobs.reduce((sum, blob) => sum + blob.bytes, manifest.data.bytes);
    return {
      name,
      bytes: dataBytes + manifestBytes.byteLength,
      kind: encoded.kind
    };
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => removeIfPresent(temp).catch(() => undefined)));
    throw error;
  }
}

export async function loadValue(dir: string, name: string, ctx: MarshalContext): Promise<unknown> {
  assertVariableName(name);
  const manifestFile = join(dir, `${name}.json`);
  const manifest = await readManifest(manifestFile, name, ctx);
  const fail = (file: string, problem: string): ValueLoadError =>
    new ValueLoadError(name, ctx, join(dir, file), problem);
  const readStored = async (stored: StoredFile): Promise<ArrayBuffer> => {
    const bytes = await readExactly(join(dir, stored.file), stored.bytes).catch(() => undefined);
    if (bytes) return bytes;
    throw fail(
      stored.file,
      `${stored.file} is missing or not ${stored.bytes} bytes long, so the saved value is incomplete; ` +
        `re-run step \`${manifest.step}\` that produces it`
    );
  };

  const payload = v8.deserialize(Buffer.from(await readStored(manifest.data)));
  if (manifest.encoding === 'plain') return payload;

  const skeleton = payload as Skeleton;
  const blobs: ArrayBuffer[] = [];
  for (const blob of manifest.blobs) blobs.push(await readStored(blob));
  const tf = manifest.needsTf ? await loadTfFor(name, ctx, manifestFile) : undefined;
  const models = new Map<object, unknown>();
  for (const marker of skeleton.models) {
    models.set(marker, await loadModel(tf!, marker, blobs, manifest, fail));
  }
  return decodeValue(skeleton.root, {
    blobs,
    models,
    tf,
    classes: ctx.classes,
    missingClass: (className, path) =>
      fail(
        `${name}.v8`,
        `\`${path}\` is an instance of class \`${className}\`, which no cell tagged \`functions\` defines here; ` +
          `define class \`${className}\` in a cell tagged \`functions\` so every step can rebuild it`
      )
  });
}

function assertVariableName(name: string): void {
  if (!variableName.test(name)) {
    throw new TypeError(`cellflow: \`${name}\` is not a variable name, so it cannot name a saved value`);
  }
}

function serialize(encoded: EncodedValue, name: string, ctx: MarshalContext): Buffer {
  try {
    return v8.serialize(encoded.payload);
  } catch (error) {
    // The walk should have caught everything; this is the last line of defence.
    throw new MarshalError({
      variable: name,
      step: ctx.step,
      consumers: ctx.consumers,
      path: name,
      what: `a value v8.serialize refuses (${error instanceof Error ? error.message : String(error)})`,
      hint: 'hand on plain data (objects, arrays, numbers, strings), tensors or models'
    });
  }
}

/**
 * Swaps the staged files in: old manifest out first (the value stops
 * existing), then stale files of the old value, then data files, then the
 * new manifest (the value exists again, complete).
 */
async function commit(dir: string, name: string, staged: { temp: string; file: string }[]): Promise<void> {
  await removeIfPresent(join(dir, `${name}.json`));
  const ours = new Set(staged.map(({ temp }) => temp));
  const stale = (await listFiles(dir)).filter(
    file => isDataFileOf(file, name) || (isTempFileOf(file, name) && !ours.has(join(dir, file)))
  );
  await Promise.all(stale.map(file => removeIfPresent(join(dir, file))));
  for (const { temp, file } of staged) await rename(temp, join(dir, file));
}

function isDataFileOf(file: string, name: string): boolean {
  if (!file.startsWith(`${name}.`)) return false;
  const rest = file.slice(name.length + 1);
  return rest === 'v8' || /^\d+\.bin$/.test(rest);
}

async function readManifest(file: string, name: string, ctx: MarshalContext): Promise<ValueManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const problem =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `no saved value (${file} does not exist); step \`${ctx.step}\` has not finished, or did not save \`${name}\``
        : `cannot read ${file} (${(error as Error).message})`;
    throw new ValueLoadError(name, ctx, file, problem);
  }
  let manifest: Partial<ValueManifest>;
  try {
    manifest = JSON.parse(text) as Partial<ValueManifest>;
  } catch {
    throw new ValueLoadError(name, ctx, file, `${file} is not valid JSON`);
  }
  if (manifest.format !== manifestFormat || typeof manifest.version !== 'number') {
    throw new ValueLoadError(name, ctx, file, `${file} is not a cellflow value manifest`);
  }
  if (manifest.version > manifestVersion) {
    throw new ValueLoadError(
      name,
      ctx,
      file,
      `it was saved in format ${manifest.version} by a newer cellflow; this runtime reads format ${manifestVersion}`
    );
  }
  return manifest as ValueManifest;
}

async function loadTfFor(name: string, ctx: MarshalContext, file: string): Promise<TfModule> {
  try {
    return await loadTf();
  } catch (error) {
    throw new ValueLoadError(name, ctx, file, `it holds tensors, and ${(error as Error).message}`);
  }
}

async function loadModel(
  tf: TfModule,
  marker: ModelMarker,
  blobs: ArrayBuffer[],
  manifest: ValueManifest,
  fail: (file: string, problem: string) => ValueLoadError
): Promise<unknown> {
  const weightsFile = manifest.blobs[marker.weights]?.file ?? manifest.data.file;
  const weights = blobs[marker.weights];
  if (!weights) throw fail(weightsFile, 'the weights of a layers model are missing');
  try {
    return await restoreLayersModel(tf, marker.artifacts, weights);
  } catch (error) {
    throw fail(
      weightsFile,
      `tfjs cannot rebuild a layers model from it (${(error as Error).message}); ` +
        'register custom layers with tf.serialization.registerClass in a cell tagged `functions`'
    );
  }
}

/**
 * Saves several values of one step. Interim: each value on its own (the
 * codec rework saves them as one graph, in groups of values that share objects).
 */
export async function saveValues(
  dir: string,
  values: Record<string, unknown>,
  ctx: { step: string; consumers: Record<string, string[]>; classes: Record<string, NotebookClass> }
): Promise<(SavedValueInfo & { group: string[] })[]> {
  const saved: (SavedValueInfo & { group: string[] })[] = [];
  for (const [name, value] of Object.entries(values)) {
    const info = await saveValue(dir, name, value, {
      step: ctx.step,
      consumers: ctx.consumers[name] ?? [],
      classes: ctx.classes
    });
    saved.push({ ...info, group: [name] });
  }
  return saved;
}

/** Loads `names` from `dir` with every value saved in a group with them (interim: no groups yet). */
export async function loadValues(
  dir: string,
  names: readonly string[],
  ctx: { step: string; consumer: string; classes: Record<string, NotebookClass> }
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const name of names) {
    values[name] = await loadValue(dir, name, { step: ctx.step, consumers: [ctx.consumer], classes: ctx.classes });
  }
  return values;
}
