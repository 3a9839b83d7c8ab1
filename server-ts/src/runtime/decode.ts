/**
 * The decoding walk: rebuilds a group's values from a deserialized Skeleton.
 * Markers go to their codec (codecs/); plain containers are fixed up in
 * place (the skeleton is ours to mutate), so loading copies nothing but the
 * markers' contents. Every object is created, remembered, and only then
 * filled (from a work list, not by recursion), so shared references and
 * cycles come back as they were, through anything.
 */
import { builtinPrototype } from './builtins.js';
import { codecOfKind, type Codec, type DecodeApi } from './codecs/index.js';
import type { NotebookClass } from './notebook-class.js';
import {
  CONFIGURABLE,
  ENUMERABLE,
  isMarker,
  markerKey,
  setOwn,
  WRITABLE,
  type BytesRef,
  type Marker,
  type ProtoRef,
  type RecordFields,
  type Skeleton
} from './skeleton.js';
import type { TfModule } from './tfjs.js';

export interface DecodeInputs {
  /** The blob files' contents, by index, each in its own exactly-sized ArrayBuffer. */
  blobs: ArrayBuffer[];
  tf: TfModule | undefined;
  classes: Readonly<Record<string, NotebookClass>>;
  functions: Readonly<Record<string, NotebookClass>>;
  /** Reports a class or function that no `functions` cell of this step defines. */
  missing(registry: 'class' | 'function', name: string, path: string, instance: boolean): Error;
  /** Reports a skeleton this runtime cannot read (a marker kind it does not know). */
  unreadable(problem: string): Error;
}

/** Loads the group's models (async), then decodes its roots. */
export async function decodeGroup(skeleton: Skeleton, inputs: DecodeInputs): Promise<unknown[]> {
  const decoder = new Decoder(inputs);
  for (const marker of skeleton.models) await decoder.preload(marker);
  return decoder.decodeRoots(skeleton.roots);
}

class Decoder implements DecodeApi {
  /** Skeleton object -> decoded value. */
  private readonly decoded = new Map<object, unknown>();
  private readonly preloaded = new Map<object, unknown>();
  /** Created but not yet filled: skeleton nodes, and for records their value and codec. */
  private readonly pending: object[] = [];
  private readonly pendingRecords: { marker: Marker & RecordFields; value: object; codec: Codec<never> }[] = [];

  constructor(private readonly inputs: DecodeInputs) {}

  async preload(marker: Marker): Promise<void> {
    const codec = this.codec(marker);
    if (!codec.preload) throw this.inputs.unreadable(`a \`${codec.kind}\` marker cannot be preloaded`);
    this.preloaded.set(marker, await codec.preload(marker as never, this));
  }

  decodeRoots(roots: unknown[]): unknown[] {
    const values = roots.map(root => this.decode(root));
    while (this.pending.length > 0 || this.pendingRecords.length > 0) {
      while (this.pending.length > 0) this.fillContainer(this.pending.pop()!);
      const record = this.pendingRecords.pop();
      if (record) this.fillRecord(record.marker, record.value, record.codec);
    }
    return values;
  }

  decode(node: unknown): unknown {
    if (typeof node !== 'object' || node === null) return node;
    const known = this.decoded.get(node);
    if (known !== undefined || this.decoded.has(node)) return known;
    const proto: unknown = Object.getPrototypeOf(node);
    if (proto === Object.prototype && isMarker(node)) return this.decodeMarker(node);
    this.decoded.set(node, node);
    if (proto === Object.prototype || proto === Array.prototype || proto === Map.prototype || proto === Set.prototype) {
      this.pending.push(node);
    }
    return node; // containers are fixed up in place; Date, RegExp, boxed primitives, small ArrayBuffers are done
  }

  bytes(ref: BytesRef): ArrayBuffer {
    if ('blob' in ref) {
      const blob = this.inputs.blobs[ref.blob];
      if (!blob) throw this.inputs.unreadable(`blob ${ref.blob} is missing`);
      return blob;
    }
    return ref.inline;
  }

  tf(): TfModule {
    if (!this.inputs.tf) throw new Error('cellflow: tfjs was not loaded for a value that holds tensors');
    return this.inputs.tf;
  }

  model(marker: Marker): unknown {
    if (!this.preloaded.has(marker)) throw this.inputs.unreadable('a model was not loaded before decoding');
    return this.preloaded.get(marker);
  }

  registered(registry: 'class' | 'function', name: string, path: string, instance = false): NotebookClass {
    const found = (registry === 'class' ? this.inputs.classes : this.inputs.functions)[name];
    if (typeof found !== 'function') throw this.inputs.missing(registry, name, path, instance);
    return found;
  }

  private codec(marker: Marker): Codec<never> {
    const codec = codecOfKind(marker[markerKey]);
    if (!codec)
      throw this.inputs.unreadable(`it holds a \`${marker[markerKey]}\` value, which this cellflow cannot read`);
    return codec;
  }

  private decodeMarker(marker: Marker): unknown {
    const codec = this.codec(marker);
    if (!codec.record) {
      const value = codec.decode(marker as never, this, undefined);
      this.decoded.set(marker, value);
      return value;
    }
    const record = marker as Marker & RecordFields;
    const proto = record.proto === undefined ? undefined : this.proto(record.proto, record);
    const value = codec.decode(marker as never, this, proto) as object;
    this.decoded.set(marker, value);
    if (proto !== undefined && Object.getPrototypeOf(value) !== proto) Object.setPrototypeOf(value, proto);
    this.pendingRecords.push({ marker: record, value, codec });
    return value;
  }

  private proto(ref: ProtoRef, marker: Marker): object | null {
    if (ref === null) return null;
    if ('object' in ref) return this.decode(ref.object) as object;
    if ('builtin' in ref) {
      const proto = builtinPrototype(ref.builtin);
      if (!proto) throw this.inputs.unreadable(`this Node.js has no built-in \`${ref.builtin}\``);
      return proto;
    }
    const path = typeof marker.path === 'string' ? marker.path : '';
    const ctor =
      'class' in ref
        ? this.registered('class', ref.class, path, true)
        : this.registered('function', ref.function, path, true);
    return (ctor as { prototype: object }).prototype;
  }

  private fillContainer(node: object): void {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item !== 'object' || item === null) continue;
        const decoded = this.decode(item);
        if (decoded !== item) node[i] = decoded;
      }
      const keys = Object.keys(node);
      if (keys.length === node.length) return; // no holes, no extra properties
      for (const key of keys) {
        if (isIndexKey(key, node.length)) continue;
        const item = (node as unknown as Record<string, unknown>)[key];
        const decoded = this.decode(item);
        if (decoded !== item) setOwn(node, key, decoded);
      }
    } else if (node instanceof Map) {
      const entries = [...node].map(([key, item]) => [this.decode(key), this.decode(item)] as const);
      node.clear(); // re-add in order: a key may itself have been a marker
      for (const [key, item] of entries) node.set(key, item);
    } else if (node instanceof Set) {
      const items = [...node].map(item => this.decode(item));
      node.clear();
      for (const item of items) node.add(item);
    } else {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (typeof item !== 'object' || item === null) continue;
        const decoded = this.decode(item);
        if (decoded !== item) setOwn(record, key, decoded);
      }
    }
  }

  private fillRecord(marker: Marker & RecordFields, value: object, codec: Codec<never>): void {
    if (codec.freshOwnKeys) {
      for (const key of Reflect.ownKeys(value)) {
        if (Object.getOwnPropertyDescriptor(value, key)?.configurable) Reflect.deleteProperty(value, key);
      }
    }
    const props = marker.props;
    if (props) {
      for (let i = 0; i < props.length; i += 3) {
        const key = typeof props[i] === 'string' ? (props[i] as string) : (this.decode(props[i]) as symbol);
        const flags = props[i + 2] as number;
        Object.defineProperty(value, key, {
          value: this.decode(props[i + 1]),
          writable: (flags & WRITABLE) !== 0,
          enumerable: (flags & ENUMERABLE) !== 0,
          configurable: (flags & CONFIGURABLE) !== 0
        });
      }
    }
    codec.fill?.(value as never, marker as never, this);
    if (marker.ext === false) Object.preventExtensions(value);
  }
}

function isIndexKey(key: string, length: number): boolean {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < length && String(n) === key;
}
