/**
 * The encoding walk: turns the values a step hands on into groups, each
 * something `v8.serialize` can write plus blob sources, or throws
 * MarshalError naming where the unmarshallable part sits. All values are
 * walked as ONE graph with one identity map, so an object reached from two
 * values is one object; values that share any object (or tensor data) form
 * one group (union-find over the values while walking) and are written and
 * loaded together.
 *
 * When every value is plain structured-clone data (checked without copying),
 * the values themselves go to v8. Otherwise the walk builds a skeleton (see
 * skeleton.ts): plain containers are copied with their members encoded,
 * anything else becomes a marker written by its codec (codecs/). The walk is
 * synchronous and finishes before anything touches the disk; reading tensor
 * data and saving models (both async) are queued as jobs that also run
 * before the first write.
 */
import { types } from 'node:util';
import { builtinPrototypeName } from './builtins.js';
import { codecFor, type Codec, type EncodeApi } from './codecs/index.js';
import { isArrayIndex } from './codecs/own-keys.js';
import { registeredName } from './codecs/function.js';
import { MarshalError } from './errors.js';
import { inlineByteLimit } from './limits.js';
import type { NotebookClass } from './notebook-class.js';
import { hasPrivateMembers } from './private-members.js';
import {
  CONFIGURABLE,
  ENUMERABLE,
  markerKey,
  WRITABLE,
  type BytesRef,
  type Marker,
  type ProtoRef,
  type RecordFields,
  type Skeleton
} from './skeleton.js';
import {
  accessorProperty,
  describePrivateMembers,
  describeUnregisteredInstance,
  refusal,
  type Unsupported
} from './unsupported.js';
import { formatPath, type PathSegment } from './value-path.js';

export { inlineByteLimit };

export interface BlobSource {
  /** What the bytes are, for the manifest, e.g. "float32 tensor at xs". */
  what: string;
  /** Written one after another into one file. */
  chunks: Uint8Array[];
}

/** A class or function the consuming step must define, and where the saved data first needs it. */
export interface Requirement {
  registry: 'class' | 'function';
  name: string;
  path: string;
  /** An instance of it (true) or the class/function itself (false). */
  instance: boolean;
}

export interface EncodedGroup {
  /** Indices into the values handed to encodeValues, in order. */
  members: number[];
  requires: Requirement[];
  /** What to hand to v8.serialize: the values themselves (an array), or a Skeleton. */
  payload: unknown;
  /** Whether payload is a Skeleton that needs decoding after deserialize. */
  marked: boolean;
  needsTf: boolean;
  blobs: BlobSource[];
}

export interface EncodeContext {
  /** The variable names, parallel to the values. */
  names: readonly string[];
  step: string;
  /** The steps that read each variable. */
  consumers: Readonly<Record<string, readonly string[]>>;
  classes: Readonly<Record<string, NotebookClass>>;
  functions: Readonly<Record<string, NotebookClass>>;
}

/** Walks all values as one graph, then runs the queued async reads. Throws MarshalError. */
export async function encodeValues(values: readonly unknown[], context: EncodeContext): Promise<EncodedGroup[]> {
  const plain = plainGroups(values);
  if (plain) {
    return plain.map(members => ({
      members,
      payload: members.map(i => values[i]),
      marked: false,
      needsTf: false,
      blobs: [],
      requires: []
    }));
  }
  const encoder = new Encoder(context, values.length);
  const roots = values.map((value, index) => encoder.encodeRoot(value, index));
  encoder.finishWalk();
  await encoder.runJobs();
  return encoder.groups(roots, values);
}

interface Entry {
  node: unknown;
  root: number;
}

interface Deferred {
  run: () => void;
  root: number;
  path: PathSegment[];
}

interface Blob extends BlobSource {
  ref: { blob: number };
  root: number;
}

class Encoder implements EncodeApi {
  readonly classes: Readonly<Record<string, NotebookClass>>;
  readonly functions: Readonly<Record<string, NotebookClass>>;
  /** Original object -> its skeleton node and the value (root) that reached it first. */
  private readonly nodes = new Map<object, Entry>();
  private readonly parent: number[];
  private readonly marked: boolean[];
  private readonly tf: boolean[];
  private readonly blobs: Blob[] = [];
  private readonly preloads: { marker: Marker; kind: string; root: number }[] = [];
  private readonly deferred: Deferred[] = [];
  private readonly jobs: (() => Promise<void>)[] = [];
  private readonly protoRefs = new Map<object, ProtoRef | Unsupported>();
  /** The first place each registered class or function is needed. */
  private readonly required = new Map<string, Requirement & { root: number }>();
  private root = 0;
  private path: PathSegment[] = [];

  constructor(
    private readonly context: EncodeContext,
    count: number
  ) {
    this.classes = context.classes;
    this.functions = context.functions;
    this.parent = Array.from({ length: count }, (_, i) => i);
    this.marked = new Array<boolean>(count).fill(false);
    this.tf = new Array<boolean>(count).fill(false);
  }

  encodeRoot(value: unknown, index: number): unknown {
    this.root = index;
    this.path = [];
    try {
      return this.encode(value);
    } catch (error) {
      if (error instanceof RangeError && /call stack/i.test(error.message)) {
        throw this.fail({
          what: 'nested more deeply than the call stack allows',
          hint: 'flatten it (say, an array of nodes that refer to each other by index instead of a long chain)'
        });
      }
      throw error;
    }
  }

  encode(value: unknown, segment?: PathSegment): unknown {
    if (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol') return value;
    if (value === null) return null;
    if (segment === undefined) return this.encodeHere(value);
    this.path.push(segment);
    const node = this.encodeHere(value);
    this.path.pop();
    return node;
  }

  private encodeHere(value: object | symbol): unknown {
    if (typeof value !== 'symbol') {
      const known = this.nodes.get(value);
      if (known !== undefined) {
        this.union(known.root, this.root);
        return known.node;
      }
      const refused = refusal(value);
      if (refused) throw this.fail(refused);
    }
    const codec = codecFor(value);
    if (codec.isPlain?.(value as never)) {
      return codec.plainCopy ? codec.plainCopy(value as never, this) : this.remember(value as object, value);
    }
    const marker = { [markerKey]: codec.kind } as Marker & RecordFields;
    if (typeof value !== 'symbol') this.remember(value, marker);
    this.marked[this.root] = true;
    if (codec.record) this.encodeProto(value as object, codec, marker);
    codec.encode(value as never, marker as never, this);
    if (codec.record) this.encodeProps(value as object, codec, marker);
    return marker;
  }

  private encodeProto(value: object, codec: Codec<never>, marker: RecordFields): void {
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto === (codec.naturalProto?.(value as never) ?? Object.prototype)) return;
    if (proto === null) {
      marker.proto = null;
      return;
    }
    let ref = this.protoRefs.get(proto);
    if (ref === undefined) {
      ref = this.protoRefOf(proto, value);
      this.protoRefs.set(proto, ref);
    }
    if (ref === null) return; // protoRefOf never names null; keeps the types honest
    if ('what' in ref) throw this.fail(ref);
    if ('object' in ref) {
      marker.proto = { object: this.encode(proto, { prototype: true }) };
      return;
    }
    marker.proto = ref;
    if ('class' in ref) this.requires('class', ref.class, true);
    else if ('function' in ref) this.requires('function', ref.function, true);
  }

  /** How a prototype is named in the skeleton, or why instances with it cannot travel. */
  private protoRefOf(proto: object, value: object): ProtoRef | Unsupported {
    const ctor = ownConstructor(proto);
    if (ctor !== undefined) {
      const registered = registeredName(ctor, this);
      if (registered && ctor.prototype === proto) {
        for (let p: object | null = proto; p !== null && builtinPrototypeName(p) === undefined;) {
          const c = ownConstructor(p);
          if (c !== undefined && hasPrivateMembers(c)) return describePrivateMembers(c);
          p = Object.getPrototypeOf(p) as object | null;
        }
        return registered.registry === 'class' ? { class: registered.name } : { function: registered.name };
      }
    }
    const builtin = builtinPrototypeName(proto);
    if (builtin !== undefined) return { builtin };
    if (ctor !== undefined) return describeUnregisteredInstance(value, ctor);
    return { object: undefined }; // an ordinary object used as a prototype: encoded with the graph
  }

  private encodeProps(value: object, codec: Codec<never>, marker: RecordFields): void {
    const keys = codec.ownKeys ? codec.ownKeys(value as never) : Reflect.ownKeys(value);
    if (keys.length > 0) {
      const props: unknown[] = [];
      for (const key of keys) {
        const own = Object.getOwnPropertyDescriptor(value, key);
        if (own === undefined) continue;
        const descriptor =
          'get' in own || 'set' in own ? (codec.engineAccessor?.(value as never, key, own) ?? own) : own;
        const segment = typeof key === 'string' && isArrayIndex(key) ? Number(key) : key;
        if ('get' in descriptor || 'set' in descriptor) {
          this.path.push(segment);
          throw this.fail(accessorProperty);
        }
        const flags =
          (descriptor.writable ? WRITABLE : 0) |
          (descriptor.enumerable ? ENUMERABLE : 0) |
          (descriptor.configurable ? CONFIGURABLE : 0);
        props.push(
          typeof key === 'symbol' ? this.encode(key, key) : key,
          this.encode(descriptor.value, segment),
          flags
        );
      }
      marker.props = props;
    }
    if (!Object.isExtensible(value)) marker.ext = false;
  }

  remember<T>(original: object, node: T): T {
    this.nodes.set(original, { node, root: this.root });
    return node;
  }

  nodeOf(original: object): unknown {
    return this.nodes.get(original)?.node;
  }

  join(a: object, b: object): void {
    const ea = this.nodes.get(a);
    const eb = this.nodes.get(b);
    if (ea && eb) this.union(ea.root, eb.root);
  }

  bytes(bytes: Uint8Array, what: string): BytesRef {
    if (bytes.byteLength <= inlineByteLimit) return { inline: bytes.slice().buffer };
    const blob = this.blob(what);
    blob.setChunks([bytes]);
    return blob.ref;
  }

  blob(what: string): { ref: BytesRef; setChunks(chunks: Uint8Array[]): void } {
    const blob: Blob = { what, chunks: [], ref: { blob: this.blobs.length }, root: this.root };
    this.blobs.push(blob);
    return {
      ref: blob.ref,
      setChunks: chunks => {
        blob.chunks = chunks;
      }
    };
  }

  job(run: () => Promise<void>): void {
    this.jobs.push(run);
  }

  afterWalk(run: () => void): void {
    this.deferred.push({ run, root: this.root, path: [...this.path] });
  }

  preload(marker: Marker): void {
    this.preloads.push({ marker, kind: marker[markerKey], root: this.root });
  }

  needsTf(): void {
    this.tf[this.root] = true;
  }

  requires(registry: 'class' | 'function', name: string, instance: boolean): void {
    const key = `${registry} ${name}`;
    if (this.required.has(key)) return;
    this.required.set(key, { registry, name, path: this.here(), instance, root: this.root });
  }

  here(): string {
    return formatPath(this.context.names[this.root]!, this.path);
  }

  fail(problem: Unsupported): MarshalError {
    return this.failAt(this.here(), problem);
  }

  failAt(path: string, problem: Unsupported): MarshalError {
    const variable = this.context.names[this.root]!;
    return new MarshalError({
      variable,
      step: this.context.step,
      consumers: this.context.consumers[variable] ?? [],
      path,
      ...problem
    });
  }

  /** Runs the work that needed the whole graph (it may queue more). */
  finishWalk(): void {
    for (let i = 0; i < this.deferred.length; i++) {
      const { run, root, path } = this.deferred[i]!;
      this.root = root;
      this.path = path;
      run();
    }
  }

  async runJobs(): Promise<void> {
    // One at a time: a GPU backend downloads each tensor, and memory stays bounded.
    for (const job of this.jobs) await job();
  }

  groups(roots: unknown[], values: readonly unknown[]): EncodedGroup[] {
    const byLeader = new Map<number, EncodedGroup>();
    const groups: EncodedGroup[] = [];
    for (let i = 0; i < roots.length; i++) {
      const leader = this.find(i);
      let group = byLeader.get(leader);
      if (!group) {
        group = { members: [], payload: undefined, marked: false, needsTf: false, blobs: [], requires: [] };
        byLeader.set(leader, group);
        groups.push(group);
      }
      group.members.push(i);
      group.marked ||= this.marked[i]!;
      group.needsTf ||= this.tf[i]!;
    }
    for (const blob of this.blobs) {
      const group = byLeader.get(this.find(blob.root))!;
      blob.ref.blob = group.blobs.push({ what: blob.what, chunks: blob.chunks }) - 1;
    }
    for (const { root, ...requirement } of this.required.values()) {
      byLeader.get(this.find(root))!.requires.push(requirement);
    }
    for (const group of groups) {
      if (!group.marked) {
        group.payload = group.members.map(i => values[i]);
        continue;
      }
      const models = this.preloads
        .filter(p => p.marker[markerKey] === p.kind && byLeader.get(this.find(p.root)) === group)
        .map(p => p.marker);
      const skeleton: Skeleton = { roots: group.members.map(i => roots[i]), models };
      group.payload = skeleton;
    }
    return groups;
  }

  private find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }

  private union(a: number, b: number): void {
    if (a === b) return;
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * The groups when every value is plain structured-clone data that v8 brings
 * back exactly (each codec's isPlain says), found without copying anything;
 * otherwise undefined.
 */
function plainGroups(values: readonly unknown[]): number[][] | undefined {
  const owner = new Map<object, number>();
  const parent = values.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const pending: unknown[] = [];
  const visit = (member: unknown): void => {
    if (typeof member === 'object' ? member !== null : typeof member === 'function' || typeof member === 'symbol') {
      pending.push(member);
    }
  };
  for (let root = 0; root < values.length; root++) {
    visit(values[root]);
    while (pending.length > 0) {
      const value = pending.pop();
      if (typeof value !== 'object') return undefined; // a function or a symbol
      const object = value as object;
      const first = owner.get(object);
      if (first !== undefined) {
        const a = find(first);
        const b = find(root);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
        continue;
      }
      if (types.isProxy(object)) return undefined;
      const codec = codecFor(object);
      if (!codec.isPlain?.(object as never)) return undefined;
      owner.set(object, root);
      codec.plainMembers?.(object as never, visit);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const leader = find(i);
    const group = groups.get(leader);
    if (group) group.push(i);
    else groups.set(leader, [i]);
  }
  return [...groups.values()];
}

function ownConstructor(proto: object): NotebookClass | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
  return typeof descriptor?.value === 'function' ? (descriptor.value as NotebookClass) : undefined;
}
