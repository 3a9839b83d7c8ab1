/**
 * Content fingerprints of values, so a step can tell whether its cells
 * changed a value it loaded although the plan did not list it as an output.
 *
 * A fingerprint is a 64-bit hash over the whole graph reachable from the
 * value, walked in a fixed order: each object's kind, its prototype (by
 * identity: the same prototype object hashes the same within the process),
 * its extensibility (so freeze, seal and preventExtensions count), its own
 * keys and values (for class instances and other non-plain objects every
 * key, string or symbol, enumerable or not, with its descriptor flags; for
 * plain objects the enumerable string keys; for arrays over 64 elements
 * the elements by index, holes as holes), the entries of Maps and Sets, the
 * bytes of typed arrays, Buffers and ArrayBuffers, and where objects are
 * shared (an object reached again hashes as a back-reference to its first
 * visit, so `a.x === a.y` and cycles are part of the fingerprint).
 *
 * Library objects are fingerprinted over what marshalling saves, so their
 * internal caches are not writes: a tfjs Tensor is immutable and hashes by
 * identity (dtype, shape, data id), a tf.Variable by its bytes, a layers
 * model by its weights' bytes. Functions hash by identity.
 *
 * Structure is hashed in JavaScript (two 32-bit lanes with Math.imul mixing:
 * cheaper than a call into a hash library per key); binary data goes to
 * xxHash64 (xxhash-wasm) in one call per view, or in slices for a view past
 * `hashSlice`: xxhash-wasm copies its input into wasm memory, which never
 * shrinks, so one call on a 200 MB array would hold a second 200 MB for the
 * rest of the step. Both ways give the same digest.
 *
 * A *portable* fingerprint (`portableFingerprint`) is the same hash with
 * nothing that depends on the process: built-in prototypes by name, a
 * view's buffer by its place in the walk. The producing step records it
 * beside the value it saves, so a consuming step need not walk what it
 * loaded: it walks once, as it ends, and compares with the record. Values
 * holding anything known only by identity (functions, unique symbols,
 * tensors, models, instances of the notebook's classes) have none.
 * Its walk marks the objects it met with a private field of a class made
 * for that walk (`newStamp`) rather than a Map: adding a field costs a
 * fraction of a Map insertion over a million objects, and private fields
 * are invisible to every reflection API, to v8.serialize and to the user's
 * code.
 */
import { builtinPrototypeName } from './builtins.js';
import { xxhash } from './packages.js';
import { isLayersModelLike, isTensorLike, isVariableLike, type TensorLike } from './tf-values.js';

const { h64Raw, create64 } = await xxhash();

/** Bytes hashed per call into wasm memory for large views. */
const hashSlice = 8 * 1024 * 1024;

function h64(view: Uint8Array): bigint {
  if (view.byteLength <= hashSlice) return h64Raw(view);
  const hasher = create64();
  for (let offset = 0; offset < view.byteLength; offset += hashSlice) {
    hasher.update(view.subarray(offset, Math.min(view.byteLength, offset + hashSlice)));
  }
  return hasher.digest();
}

/** Stable numbers for objects hashed by identity (prototypes, functions, tensor data), within one process. */
const identities = new WeakMap<object, number>();
let nextIdentity = 1;
const uniqueSymbols = new Map<symbol, number>();

function identityOf(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

/** Fingerprint of `value`'s whole reachable graph, as 16 hex digits. */
export function fingerprint(value: unknown): string {
  return new Walk().run(value);
}

/** Which objects a fingerprinted value reached. */
export interface ReachedObjects {
  has(object: object): boolean;
}

/**
 * The fingerprint, and every object the value reaches (buffers under views included). The walk's own
 * bookkeeping answers membership: copying a million objects into a new Set would cost as much as the walk.
 */
export function fingerprintGraph(value: unknown): { fingerprint: string; objects: ReachedObjects } {
  const walk = new Walk();
  const fingerprint = walk.run(value);
  return { fingerprint, objects: walk };
}

/**
 * The portable fingerprint, with the objects the value reaches (as `fingerprintGraph`), or null when the value
 * holds something known only by identity in this process.
 */
export function portableFingerprint(value: unknown): { fingerprint: string; objects: ReachedObjects } | null {
  const walk = new Walk(true);
  try {
    return { fingerprint: walk.run(value), objects: walk };
  } catch (error) {
    if (error === NOT_PORTABLE) return null;
    throw error;
  }
}

/** Thrown inside a portable walk that meets a value known only by identity. */
const NOT_PORTABLE = Symbol('not portable');

/** Built-in prototypes by a number every process agrees on: the order of a fixed list of names. */
const portablePrototypeIds = new Map<object, number>();

function portablePrototypeId(prototype: object): number {
  let id = portablePrototypeIds.get(prototype);
  if (id === undefined) {
    const name = builtinPrototypeName(prototype);
    if (name === undefined) throw NOT_PORTABLE;
    id = 0;
    for (let i = 0; i < name.length; i++) id = Math.imul(id ^ name.charCodeAt(i), 0x01000193);
    portablePrototypeIds.set(prototype, id);
  }
  return id;
}

/**
 * A mark a walk puts on each object it meets, holding the object's index in the walk: a private field of a class
 * made for that walk alone (a base constructor returning the object lets a subclass add its field to any object).
 */
interface Stamp {
  /** The index stamped on `object` by this walk, or -1. */
  indexOf(object: object): number;
  stamp(object: object, index: number): void;
}

function newStamp(): Stamp {
  class Target {
    constructor(object: object) {
      return object;
    }
  }
  class Marked extends Target {
    #index: number;
    constructor(object: object, index: number) {
      super(object);
      this.#index = index;
    }
    static indexOf(object: object): number {
      return #index in object ? (object as Marked).#index : -1;
    }
    static stamp(object: object, index: number): void {
      new Marked(object, index);
    }
  }
  return Marked;
}

/**
 * The objects of `owned` that `value` reaches, without walking into them: how a step's new value that holds a
 * loaded value (`const holder = { ref: data }`) is found, so both are saved as one group.
 */
export function reachedOwned(value: unknown, owned: (object: object) => boolean): Set<object> {
  const found = new Set<object>();
  const seen = new Set<object>();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if ((typeof next !== 'object' || next === null) && typeof next !== 'function') continue;
    const object = next as object;
    if (seen.has(object)) continue;
    seen.add(object);
    if (owned(object)) {
      found.add(object);
      continue;
    }
    if (typeof object === 'function' || isTensorLike(object) || isLayersModelLike(object)) continue;
    if (ArrayBuffer.isView(object)) {
      pending.push(object.buffer);
      continue;
    }
    if (object instanceof Map) for (const [k, v] of Map.prototype.entries.call(object)) pending.push(k, v);
    if (object instanceof Set) for (const v of Set.prototype.values.call(object)) pending.push(v);
    for (const key of Reflect.ownKeys(object)) {
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor && 'value' in descriptor) pending.push(descriptor.value);
    }
  }
  return found;
}

const enum Tag {
  Undefined = 1,
  Null,
  True,
  False,
  Number,
  String,
  BigInt,
  Symbol,
  Function,
  BackRef,
  Object,
  Array,
  Map,
  Set,
  Date,
  RegExp,
  Boxed,
  View,
  Buffer,
  Tensor,
  Variable,
  Model,
  Key,
  Hole,
  End
}

const float = new Float64Array(1);
const floatWords = new Uint32Array(float.buffer);

class Walk implements ReachedObjects {
  private a = 0x9e3779b9 | 0;
  private b = 0x85ebca6b | 0;
  private readonly seen = new Map<object, number>();
  /** Buffers under the views met (a view hashes its own bytes, not its whole buffer). */
  private readonly viewBuffers = new Set<object>();
  /** In a portable walk: the marks that stand in for `seen` and `viewBuffers`, and their counts. */
  private seenStamp: Stamp | null;
  private bufferStamp: Stamp | null;
  /** Whether `for..in` lists a plain object's own enumerable keys: Object.prototype has no enumerable ones. */
  private keysByForIn = false;
  private seenCount = 0;
  private bufferCount = 0;
  private readonly pending: unknown[] = [];
  /**
   * The last plain object's key list and its hash: objects of one shape come in runs (rows of a table), and
   * comparing a short list of interned strings is far cheaper than hashing them again character by character.
   */
  private lastKeys: string[] = [];
  private lastKeysA = 0;
  private lastKeysB = 0;

  constructor(private readonly portable = false) {
    this.seenStamp = portable ? newStamp() : null;
    this.bufferStamp = portable ? newStamp() : null;
  }

  has(object: object): boolean {
    if (this.seenStamp) return this.seenStamp.indexOf(object) >= 0 || this.bufferStamp!.indexOf(object) >= 0;
    return this.seen.has(object) || this.viewBuffers.has(object);
  }

  /** Prototypes, functions and tensor data hash by identity; a portable walk has no identities to give. */
  private identity(value: object): number {
    if (this.portable) throw NOT_PORTABLE;
    return identityOf(value);
  }

  private prototypeId(prototype: object): number {
    return this.portable ? portablePrototypeId(prototype) : identityOf(prototype);
  }

  /** A view's buffer: by identity, or in a portable walk by the order in which buffers were first met. */
  private viewBuffer(buffer: object): number {
    const stamp = this.bufferStamp;
    if (!stamp) {
      this.viewBuffers.add(buffer);
      return identityOf(buffer);
    }
    let index = stamp.indexOf(buffer);
    if (index < 0) stamp.stamp(buffer, (index = this.bufferCount++));
    return index;
  }

  run(root: unknown): string {
    this.keysByForIn = objectPrototypeHasNoEnumerables();
    const digest = this.walk(root);
    // A getter the walk ran gave Object.prototype an enumerable property: `for..in` may have listed it.
    if (!this.keysByForIn || objectPrototypeHasNoEnumerables()) return digest;
    this.restart();
    this.keysByForIn = false;
    return this.walk(root);
  }

  private walk(root: unknown): string {
    this.pending.push(root);
    while (this.pending.length > 0) this.visit(this.pending.pop());
    return (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0');
  }

  private restart(): void {
    this.a = 0x9e3779b9 | 0;
    this.b = 0x85ebca6b | 0;
    this.seen.clear();
    this.viewBuffers.clear();
    this.seenStamp = this.portable ? newStamp() : null;
    this.bufferStamp = this.portable ? newStamp() : null;
    this.seenCount = 0;
    this.bufferCount = 0;
    this.lastKeys = [];
  }

  private mix(word: number): void {
    this.a = Math.imul(this.a ^ word, 0x01000193);
    this.b = Math.imul((this.b + word) ^ (this.b >>> 15), 0x2c1b3c6d);
  }

  private number(value: number): void {
    float[0] = value; // -0 and NaN hash as their bits
    this.mix(floatWords[0]);
    this.mix(floatWords[1]);
  }

  private string(value: string): void {
    this.mix(value.length);
    for (let i = 0; i < value.length; i++) this.mix(value.charCodeAt(i));
  }

  private bytes(view: Uint8Array): void {
    this.mix(view.byteLength);
    const digest = h64(view);
    this.mix(Number(digest & 0xffffffffn));
    this.mix(Number(digest >> 32n));
  }

  /** Values go on a stack (last in, first out), so pushes happen in reverse of the order they are hashed. */
  private visit(value: unknown): void {
    switch (typeof value) {
      case 'undefined':
        return this.mix(Tag.Undefined);
      case 'boolean':
        return this.mix(value ? Tag.True : Tag.False);
      case 'number':
        this.mix(Tag.Number);
        return this.number(value);
      case 'string':
        this.mix(Tag.String);
        return this.string(value);
      case 'bigint':
        this.mix(Tag.BigInt);
        return this.string(value.toString(16));
      case 'symbol':
        if (value === HOLE) return this.mix(Tag.Hole);
        this.mix(Tag.Symbol);
        return this.symbol(value);
      case 'function':
        this.mix(Tag.Function);
        return this.mix(this.identity(value));
    }
    if (value === null) return this.mix(Tag.Null);
    const object = value as object;
    const stamp = this.seenStamp;
    if (stamp) {
      const seenAt = stamp.indexOf(object);
      if (seenAt >= 0) {
        this.mix(Tag.BackRef);
        return this.mix(seenAt);
      }
      stamp.stamp(object, this.seenCount++);
      return this.object(object);
    }
    const seenAt = this.seen.get(object);
    if (seenAt !== undefined) {
      this.mix(Tag.BackRef);
      return this.mix(seenAt);
    }
    this.seen.set(object, this.seen.size);
    this.object(object);
  }

  private symbol(value: symbol): void {
    const registered = Symbol.keyFor(value);
    if (registered !== undefined) return this.string(`for:${registered}`);
    if (this.portable) throw NOT_PORTABLE;
    let id = uniqueSymbols.get(value); // a unique symbol: by identity
    if (id === undefined) uniqueSymbols.set(value, (id = nextIdentity++));
    this.mix(id);
  }

  private object(object: object): void {
    const prototype: unknown = Object.getPrototypeOf(object);
    // The common kinds first, with no other checks: plain objects and arrays are never tensors or views.
    if (prototype === Object.prototype || prototype === null || prototype === Array.prototype) {
      this.mix(prototype === null ? 0 : prototype === Object.prototype ? 1 : 2);
      this.mix(Object.isExtensible(object) ? 1 : 0);
      if (prototype === Array.prototype && (object as unknown[]).length > LARGE_ARRAY) {
        return this.largeArray(object as unknown[]);
      }
      return this.ownProperties(object, prototype !== Array.prototype);
    }
    if (isTensorLike(object)) return this.tensor(object);
    if (isLayersModelLike(object)) return this.model(object);
    if (ArrayBuffer.isView(object)) {
      this.mix(Tag.View);
      this.string(Object.prototype.toString.call(object));
      this.mix(this.viewBuffer(object.buffer));
      this.mix(object.byteOffset);
      // Only the view's own bytes: small Buffers share Node's pool, whose other bytes are not this value.
      return this.bytes(new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
    }
    if (object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
      this.mix(Tag.Buffer);
      this.mix(object instanceof SharedArrayBuffer ? 1 : 0);
      this.bytes(new Uint8Array(object));
      return this.ownProperties(object, false);
    }
    this.mix(this.prototypeId(prototype as object));
    this.mix(Object.isExtensible(object) ? 1 : 0);
    if (object instanceof Date) {
      this.mix(Tag.Date);
      this.number(object.getTime());
    } else if (object instanceof RegExp) {
      this.mix(Tag.RegExp);
      this.string(object.source);
      this.string(object.flags);
    } else if (
      object instanceof Number ||
      object instanceof String ||
      object instanceof Boolean ||
      object instanceof BigInt
    ) {
      this.mix(Tag.Boxed);
      this.pending.push(object.valueOf());
    }
    // Entries come after the own properties in hashing order: push them first.
    if (object instanceof Map) {
      this.mix(Tag.Map);
      this.mix(object.size);
      const entries = [...Map.prototype.entries.call(object)];
      for (let i = entries.length - 1; i >= 0; i--) this.pending.push(entries[i]![1], entries[i]![0]);
    } else if (object instanceof Set) {
      this.mix(Tag.Set);
      this.mix(object.size);
      const items = [...Set.prototype.values.call(object)];
      for (let i = items.length - 1; i >= 0; i--) this.pending.push(items[i]);
    }
    if (Array.isArray(object) && object.length > LARGE_ARRAY) this.largeArray(object as unknown[]);
    else this.ownProperties(object, false);
  }

  /**
   * Elements by index (holes as holes) and the length, without listing a million keys: extra non-index
   * properties and index descriptors of arrays this long are not part of the fingerprint.
   */
  private largeArray(array: unknown[]): void {
    this.mix(Tag.Array);
    this.mix(array.length);
    for (let i = array.length - 1; i >= 0; i--) this.pending.push(i in array ? array[i] : HOLE);
  }

  /**
   * Own keys and values. Keys are hashed as they are listed, values when they come off the stack: the order
   * is fixed either way. Plain objects (Object.prototype or null) take the fast path: enumerable string keys
   * and their values, so a symbol-keyed or non-enumerable property added to a plain object, or a descriptor
   * change on one, is not seen. Every other object hashes every own key with its descriptor flags.
   */
  private ownProperties(object: object, plain: boolean): void {
    if (plain) {
      const keys = this.sameKeysAsLast(object) ? this.lastKeys : Object.keys(object);
      this.mix(Tag.Object);
      this.mix(keys.length);
      this.keys(keys);
      for (let i = keys.length - 1; i >= 0; i--) this.pending.push((object as Record<string, unknown>)[keys[i]!]);
      return;
    }
    const keys = Reflect.ownKeys(object);
    this.mix(Tag.Object);
    this.mix(keys.length);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
      const flags =
        (descriptor.enumerable ? 1 : 0) |
        (descriptor.configurable ? 2 : 0) |
        (descriptor.writable ? 4 : 0) |
        ('get' in descriptor ? 8 : 0);
      this.keyMarker(key, flags);
      if ('get' in descriptor) this.pending.push(descriptor.set, descriptor.get);
      else this.pending.push(descriptor.value);
    }
  }

  /**
   * Whether a plain object's enumerable own keys are the last key list's, asked without making a new list (a
   * million rows would make a million arrays for the collector): `for..in` lists the same keys in the same
   * order when no prototype on the chain has enumerable properties of its own, as none of Object.prototype's do
   * unless a library added one (then every object takes `Object.keys`).
   */
  private sameKeysAsLast(object: object): boolean {
    if (!this.keysByForIn) return false;
    const last = this.lastKeys;
    let count = 0;
    for (const key in object) {
      if (key !== last[count]) return false;
      count++;
    }
    return count === last.length;
  }

  /** Mixes a key list, in order: its two lanes are kept, so the next object of that shape reuses them. */
  private keys(keys: string[]): void {
    const last = this.lastKeys;
    let same = keys.length === last.length;
    for (let i = 0; same && i < keys.length; i++) same = keys[i] === last[i];
    if (!same) {
      let a = 0x811c9dc5 | 0;
      let b = 0x27d4eb2f | 0;
      for (const key of keys) {
        a = Math.imul(a ^ key.length, 0x01000193);
        b = Math.imul((b + key.length) ^ (b >>> 15), 0x2c1b3c6d);
        for (let i = 0; i < key.length; i++) {
          const code = key.charCodeAt(i);
          a = Math.imul(a ^ code, 0x01000193);
          b = Math.imul((b + code) ^ (b >>> 15), 0x2c1b3c6d);
        }
      }
      this.lastKeys = keys;
      this.lastKeysA = a;
      this.lastKeysB = b;
    }
    this.mix(this.lastKeysA);
    this.mix(this.lastKeysB);
  }

  private tensor(tensor: TensorLike): void {
    if (isVariableLike(tensor)) {
      this.mix(Tag.Variable);
      this.mix(this.identity(tensor));
      this.mix(tensor.trainable ? 1 : 0);
      if (tensor.isDisposed) return this.mix(0);
      const data = tensor.dataSync() as ArrayLike<unknown>;
      if (ArrayBuffer.isView(data)) this.bytes(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      else this.pending.push(Array.from(data));
      return;
    }
    // Tensors are immutable: the same data id, dtype and shape is the same value.
    this.mix(Tag.Tensor);
    this.mix(this.identity(tensor.dataId as object));
    this.mix(tensor.isDisposed ? 1 : 0);
    this.string(`${tensor.dtype}[${tensor.shape.join(',')}]`);
  }

  private model(model: object): void {
    this.mix(Tag.Model);
    this.mix(this.identity(model));
    const weights = (model as { weights?: { read?: () => unknown }[] }).weights ?? [];
    for (const weight of weights) {
      const variable = typeof weight.read === 'function' ? weight.read() : weight;
      if (typeof variable === 'object' && variable !== null && isTensorLike(variable)) this.tensor(variable);
    }
    const optimizer = (model as { optimizer?: unknown }).optimizer;
    this.mix(typeof optimizer === 'object' && optimizer !== null ? this.identity(optimizer) : 0);
  }

  private keyMarker(key: string | symbol, flags: number): void {
    this.mix(Tag.Key);
    if (typeof key === 'symbol') {
      this.mix(Tag.Symbol);
      this.symbol(key);
    } else this.string(key);
    this.mix(flags);
  }
}

/** Checked as a walk starts and ends: a getter run by the walk could add one. */
function objectPrototypeHasNoEnumerables(): boolean {
  for (const key in Object.prototype) return key === undefined;
  return true;
}

/** An array hole on the walk's stack (a hole is not an `undefined` element). */
const HOLE = Symbol('hole');
/** Arrays longer than this are walked by index rather than by their list of own keys (with descriptors). */
const LARGE_ARRAY = 64;

/** Fingerprint by identity alone (objects and functions by which object they are, primitives by value). */
export function identityFingerprint(value: unknown): string {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') return `#${identityOf(value)}`;
  return fingerprint(value);
}
