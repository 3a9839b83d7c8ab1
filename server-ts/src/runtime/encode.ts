/**
 * Turns a value into something `v8.serialize` can write, plus blob sources,
 * or throws MarshalError naming where the unmarshallable part sits. The walk
 * is synchronous and finishes before anything touches the disk; reading
 * tensor data and saving models (both async) are queued as jobs that also
 * run before the first write.
 */
import { MarshalError } from './errors.js';
import {
  builtinErrors,
  markerKey,
  setOwn,
  type BytesRef,
  type ErrorMarker,
  type ErrorParts,
  type InstanceBase,
  type InstanceMarker,
  type Marker,
  type ModelMarker,
  type Skeleton,
  type StringTensorMarker,
  type TensorMarker
} from './skeleton.js';
import {
  captureModelArtifacts,
  isKnownDtype,
  isLayersModelLike,
  isTensorLike,
  isVariableLike,
  readStringTensor,
  readTensorBytes,
  tensorByteLength,
  weightChunks,
  type LayersModelLike,
  type TensorLike
} from './tf-values.js';
import { describeUnsupported, disposedTensor, type Unsupported } from './unsupported.js';
import { formatPath, type PathSegment } from './value-path.js';
import type { NotebookClass } from './notebook-class.js';

/** Binary data up to this size stays inside the v8 file; larger goes to a blob file. */
export const inlineByteLimit = 64 * 1024;

export type ValueKind = 'tensor' | 'model' | 'buffer' | 'typed-array' | 'array-buffer' | 'instance' | 'class' | 'data';

export interface BlobSource {
  /** What the bytes are, for the manifest, e.g. "float32 tensor at xs". */
  what: string;
  /** Filled by the jobs; written one after another into one file. */
  chunks: Uint8Array[];
}

export interface EncodedValue {
  /** What to hand to v8.serialize: the value itself, or a Skeleton. */
  payload: unknown;
  /** Whether payload is a Skeleton that needs decoding after deserialize. */
  marked: boolean;
  kind: ValueKind;
  needsTf: boolean;
  blobs: BlobSource[];
}

export interface EncodeContext {
  variable: string;
  step: string;
  consumers: readonly string[];
  classes: Record<string, NotebookClass>;
}

/** Walks `value`, then runs the queued async reads. Throws MarshalError. */
export async function encodeValue(value: unknown, context: EncodeContext): Promise<EncodedValue> {
  if (isStructuredCloneData(value)) {
    return {
      payload: value,
      marked: false,
      kind: 'data',
      needsTf: false,
      blobs: []
    };
  }
  const encoder = new Encoder(context);
  const root = encoder.encode(value);
  await encoder.runJobs();
  const skeleton: Skeleton = { root, models: encoder.models };
  return {
    payload: skeleton,
    marked: true,
    kind: kindOf(root),
    needsTf: encoder.needsTf,
    blobs: encoder.blobs
  };
}

class Encoder {
  readonly blobs: BlobSource[] = [];
  readonly models: ModelMarker[] = [];
  needsTf = false;
  private readonly jobs: (() => Promise<void>)[] = [];
  /** Original object -> its encoding; keeps shared references and cycles. */
  private readonly encoded = new Map<object, unknown>();
  /** Tensors that share data (a reshape, say) share one copy of the bytes. */
  private readonly tensorData = new Map<object, BytesRef>();
  private readonly path: PathSegment[] = [];
  private readonly classNameOfPrototype = new Map<object, string>();
  private readonly classNameOfConstructor = new Map<NotebookClass, string>();

  constructor(private readonly context: EncodeContext) {
    for (const [name, ctor] of Object.entries(context.classes)) {
      if (typeof ctor !== 'function') continue;
      this.classNameOfConstructor.set(ctor, name);
      const prototype: unknown = ctor.prototype;
      if (typeof prototype === 'object' && prototype !== null) this.classNameOfPrototype.set(prototype, name);
    }
  }

  encode(value: unknown): unknown {
    if (typeof value === 'function') return this.encodeFunction(value);
    if (typeof value === 'symbol') throw this.fail(describeUnsupported(value));
    if (typeof value !== 'object' || value === null) return value;
    if (this.encoded.has(value)) return this.encoded.get(value);
    return this.encodeObject(value);
  }

  async runJobs(): Promise<void> {
    // One at a time: a GPU backend downloads each tensor, and memory stays bounded.
    for (const job of this.jobs) await job();
  }

  private encodeObject(value: object): unknown {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) return this.encodePlainObject(value);
    if (prototype === Array.prototype) return this.encodeArray(value as unknown[]);
    if (prototype === Map.prototype) return this.encodeMap(value as Map<unknown, unknown>);
    if (prototype === Set.prototype) return this.encodeSet(value as Set<unknown>);
    if (ArrayBuffer.isView(value)) return this.encodeView(value);
    if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return this.encodeArrayBuffer(value);
    if (isCloneableBuiltin(prototype)) return this.remember(value, value);
    const errorType = builtinErrorName(prototype);
    if (errorType) return this.encodeError(value as Error, errorType);
    const className = this.classNameOfPrototype.get(prototype as object);
    if (className !== undefined) return this.encodeInstance(value, className);
    if (isTensorLike(value)) return this.encodeTensor(value);
    if (isLayersModelLike(value)) return this.encodeModel(value);
    throw this.fail(describeUnsupported(value));
  }

  private encodeFunction(fn: NotebookClass): unknown {
    const className = this.classNameOfConstructor.get(fn);
    if (className === undefined) throw this.fail(describeUnsupported(fn));
    return this.remember(fn, {
      [markerKey]: 'class',
      className,
      path: this.here()
    });
  }

  private encodePlainObject(value: object): unknown {
    const source = value as Record<string, unknown>;
    if (Object.hasOwn(source, markerKey)) {
      const escaped = this.remember(value, {
        [markerKey]: 'object',
        entries: [] as [string, unknown][]
      });
      escaped.entries = this.encodeFields(source);
      return escaped;
    }
    const copy = this.remember(value, {});
    for (const key of Object.keys(source)) {
      this.path.push(key);
      setOwn(copy, key, this.encode(source[key]));
      this.path.pop();
    }
    return copy;
  }

  private encodeArray(value: unknown[]): unknown[] {
    const copy = this.remember(value, [] as unknown[]);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) {
        copy.length++; // keep the hole; pushing keeps packed arrays packed for v8
        continue;
      }
      this.path.push(i);
      copy.push(this.encode(value[i]));
      this.path.pop();
    }
    return copy;
  }

  private encodeMap(value: Map<unknown, unknown>): Map<unknown, unknown> {
    const copy = this.remember(value, new Map<unknown, unknown>());
    for (const [key, item] of this.encodeMapEntries(value)) copy.set(key, item);
    return copy;
  }

  private encodeMapEntries(value: Map<unknown, unknown>): [unknown, unknown][] {
    const entries: [unknown, unknown][] = [];
    let index = 0;
    for (const [key, item] of Map.prototype.entries.call(value)) {
      this.path.push({ mapKeyAt: index });
      const encodedKey = this.encode(key);
      this.path.pop();
      this.path.push({ mapKey: key, index });
      entries.push([encodedKey, this.encode(item)]);
      this.path.pop();
      index++;
    }
    return entries;
  }

  private encodeSet(value: Set<unknown>): Set<unknown> {
    const copy = this.remember(value, new Set<unknown>());
    for (const item of this.encodeSetItems(value)) copy.add(item);
    return copy;
  }

  private encodeSetItems(value: Set<unknown>): unknown[] {
    const items: unknown[] = [];
    let index = 0;
    for (const item of Set.prototype.values.call(value)) {
      this.path.push({ setAt: index++ });
      items.push(this.encode(item));
      this.path.pop();
    }
    return items;
  }

  private encodeFields(source: Record<string, unknown>, skipIndexes = false): [string, unknown][] {
    const fields: [string, unknown][] = [];
    for (const key of Object.keys(source)) {
      if (skipIndexes && isArrayIndex(key)) continue;
      this.path.push(key);
      fields.push([key, this.encode(source[key])]);
      this.path.pop();
    }
    return fields;
  }

  private encodeView(view: ArrayBufferView): Marker {
    const type = Buffer.isBuffer(view)
      ? 'Buffer'
      : view instanceof DataView
        ? 'DataView'
        : (view as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    return this.remember(view, {
      [markerKey]: 'view',
      type,
      data: this.bytesRef(bytes, `${type} at ${this.here()}`)
    });
  }

  private encodeArrayBuffer(buffer: ArrayBuffer | SharedArrayBuffer): Marker {
    const shared = buffer instanceof SharedArrayBuffer;
    const bytes = new Uint8Array(buffer);
    const what = `${shared ? 'SharedArrayBuffer' : 'ArrayBuffer'} at ${this.here()}`;
    return this.remember(buffer, {
      [markerKey]: 'array-buffer',
      shared,
      data: this.bytesRef(bytes, what)
    });
  }

  private encodeError(error: Error, type: string): ErrorMarker {
    const marker = this.remember(error, {
      [markerKey]: 'error',
      type,
      message: '',
      fields: [] as [string, unknown][]
    } as ErrorMarker);
    Object.assign(marker, this.errorParts(error));
    marker.fields = this.encodeFields(error as unknown as Record<string, unknown>);
    return marker;
  }

  private errorParts(error: Error): ErrorParts {
    const parts: ErrorParts = { message: String(error.message) };
    if (typeof error.stack === 'string') parts.stack = error.stack;
    if (Object.hasOwn(error, 'cause')) {
      this.path.push('cause');
      parts.cause = { value: this.encode(error.cause) };
      this.path.pop();
    }
    return parts;
  }

  private encodeInstance(value: object, className: string): InstanceMarker {
    const base = instanceBase(value);
    const marker = this.remember(value, {
      [markerKey]: 'instance',
      className,
      path: this.here(),
      base,
      fields: [] as [string, unknown][]
    } as InstanceMarker);
    marker.fields = this.encodeFields(value as Record<string, unknown>, base === 'array');
    if (base === 'map') marker.items = this.encodeMapEntries(value as Map<unknown, unknown>);
    if (base === 'set') marker.items = this.encodeSetItems(value as Set<unknown>);
    if (base === 'array') marker.items = this.encodeArray(Array.from(value as unknown[]));
    if (base === 'error') marker.error = this.errorParts(value as Error);
    return marker;
  }

  private encodeTensor(tensor: TensorLike): Marker {
    if (tensor.isDisposed) throw this.fail(disposedTensor);
    const { dtype } = tensor;
    if (!isKnownDtype(dtype)) {
      throw this.fail({
        what: `a tensor of dtype \`${dtype}\``,
        hint: 'cast it to float32 or int32 first'
      });
    }
    this.needsTf = true;
    const shape = [...tensor.shape];
    const variable = isVariableLike(tensor) ? { trainable: Boolean(tensor.trainable) } : undefined;
    const at = this.here();
    if (dtype === 'string') {
      const marker = this.remember(tensor, {
        [markerKey]: 'string-tensor',
        shape,
        strings: [] as Uint8Array[],
        ...(variable && { variable })
      } as StringTensorMarker);
      this.jobs.push(async () => {
        marker.strings = await this.readTensor(at, () => readStringTensor(tensor));
      });
      return marker;
    }
    const marker: TensorMarker = {
      [markerKey]: 'tensor',
      dtype,
      shape,
      data: this.tensorBytesRef(tensor, dtype, at),
      ...(variable && { variable })
    };
    return this.remember(tensor, marker);
  }

  private tensorBytesRef(tensor: TensorLike, dtype: TensorMarker['dtype'], at: string): BytesRef {
    const known = this.tensorData.get(tensor.dataId);
    if (known) return known;
    const expected = tensorByteLength(dtype, tensor.size);
    const read = async (): Promise<Uint8Array> => {
      const bytes = await this.readTensor(at, () => readTensorBytes(tensor));
      if (bytes.byteLength !== expected) {
        throw this.failAt(at, {
          what: `a ${dtype} tensor whose data has ${bytes.byteLength} bytes instead of ${expected}`,
          hint: 'report this as a cellflow bug'
        });
      }
      return bytes;
    };
    let ref: BytesRef;
    if (expected <= inlineByteLimit) {
      const inline: { inline: Uint8Array } = { inline: new Uint8Array(0) };
      this.jobs.push(async () => {
        inline.inline = (await read()).slice();
      });
      ref = inline;
    } else {
      const blob = this.addBlob(`${dtype} tensor [${tensor.shape.join(',')}] at ${at}`);
      this.jobs.push(async () => {
        this.blobs[blob]!.chunks = [await read()];
      });
      ref = { blob };
    }
    this.tensorData.set(tensor.dataId, ref);
    return ref;
  }

  private async readTensor<T>(at: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof MarshalError) throw error;
      throw this.failAt(at, {
        what: `a tensor whose data cannot be read (${messageOf(error)})`,
        hint: 'keep the tensor alive until the step ends, or hand on `await t.array()` instead'
      });
    }
  }

  private encodeModel(model: LayersModelLike): ModelMarker {
    this.needsTf = true;
    const at = this.here();
    const weights = this.addBlob(`layers model weights at ${at}`);
    const marker = this.remember(model, {
      [markerKey]: 'model',
      artifacts: {},
      weights,
      withOptimizer: false
    } as ModelMarker);
    this.models.push(marker);
    this.jobs.push(async () => {
      let captured: Awaited<ReturnType<typeof captureModelArtifacts>>;
      try {
        captured = await captureModelArtifacts(model);
      } catch (error) {
        throw this.failAt(at, {
          what: `a layers model that tfjs cannot save (${messageOf(error)})`,
          hint:
            'give custom layers a getConfig() and register them with tf.serialization.registerClass ' +
            'in a cell tagged `functions`, or rebuild the model in the step that uses it'
        });
      }
      const { weightData, ...artifacts } = captured.artifacts;
      marker.artifacts = artifacts;
      marker.withOptimizer = captured.withOptimizer;
      this.blobs[weights]!.chunks = weightChunks(weightData);
    });
    return marker;
  }

  private bytesRef(bytes: Uint8Array, what: string): BytesRef {
    if (bytes.byteLength <= inlineByteLimit) return { inline: bytes.slice() };
    const blob = this.addBlob(what);
    this.blobs[blob]!.chunks = [bytes];
    return { blob };
  }

  private addBlob(what: string): number {
    return this.blobs.push({ what, chunks: [] }) - 1;
  }

  private remember<T>(original: object, encoded: T): T {
    this.encoded.set(original, encoded);
    return encoded;
  }

  private here(): string {
    return formatPath(this.context.variable, this.path);
  }

  private fail(problem: Unsupported): MarshalError {
    return this.failAt(this.here(), problem);
  }

  private failAt(path: string, problem: Unsupported): MarshalError {
    const { variable, step, consumers } = this.context;
    return new MarshalError({ variable, step, consumers, path, ...problem });
  }
}

/**
 * True when v8.serialize alone round-trips the value faithfully: primitives,
 * plain objects, arrays, Maps, Sets, Dates, RegExps, boxed primitives and
 * small ArrayBuffers. Then no copy is made and loading needs no walk.
 */
function isStructuredCloneData(root: unknown): boolean {
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'function' || typeof value === 'symbol') return false;
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      if (Object.hasOwn(value, markerKey)) return false;
      for (const key of Object.keys(value)) pending.push((value as Record<string, unknown>)[key]);
    } else if (prototype === Array.prototype) {
      for (const item of value as unknown[]) pending.push(item);
    } else if (prototype === Map.prototype) {
      for (const [key, item] of value as Map<unknown, unknown>) pending.push(key, item);
    } else if (prototype === Set.prototype) {
      for (const item of value as Set<unknown>) pending.push(item);
    } else if (prototype === ArrayBuffer.prototype) {
      if ((value as ArrayBuffer).byteLength > inlineByteLimit) return false;
    } else if (!isCloneableBuiltin(prototype)) {
      return false;
    }
  }
  return true;
}

const cloneablePrototypes = new Set<unknown>([
  Date.prototype,
  RegExp.prototype,
  Boolean.prototype,
  Number.prototype,
  String.prototype,
  BigInt.prototype
]);

function isCloneableBuiltin(prototype: unknown): boolean {
  return cloneablePrototypes.has(prototype);
}

function builtinErrorName(prototype: unknown): string | undefined {
  for (const [name, ctor] of Object.entries(builtinErrors)) {
    if (ctor.prototype === prototype) return name;
  }
  return undefined;
}

function instanceBase(value: object): InstanceBase {
  if (value instanceof Map) return 'map';
  if (value instanceof Set) return 'set';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Error) return 'error';
  return 'object';
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key);
}

function kindOf(root: unknown): ValueKind {
  if (typeof root !== 'object' || root === null || !Object.hasOwn(root, markerKey)) return 'data';
  const marker = root as Marker;
  switch (marker[markerKey]) {
    case 'tensor':
    case 'string-tensor':
      return 'tensor';
    case 'model':
      return 'model';
    case 'view':
      return marker.type === 'Buffer' ? 'buffer' : 'typed-array';
    case 'array-buffer':
      return 'array-buffer';
    case 'instance':
      return 'instance';
    case 'class':
      return 'class';
    default:
      return 'data';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
