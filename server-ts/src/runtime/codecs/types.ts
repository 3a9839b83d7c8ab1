/**
 * The shape of a codec: one per kind of value, in the one list of
 * codecs/index.ts. The walk cores (../encode.ts, ../decode.ts) find a value's
 * codec, and do everything that is the same for every kind: identity (the
 * same object reached twice is encoded once and decoded once), groups, paths
 * for error messages, and, for record kinds, the prototype, the own
 * properties with their attributes and the extensibility.
 */
import type { MarshalError } from '../errors.js';
import type { NotebookClass } from '../notebook-class.js';
import type { BytesRef, Marker } from '../skeleton.js';
import type { TfModule } from '../tfjs.js';
import type { Unsupported } from '../unsupported.js';
import type { PathSegment } from '../value-path.js';

export interface Codec<V = never, M extends Marker = Marker> {
  /** Written under `markerKey`; unique in the list. */
  kind: string;
  /**
   * A record has a prototype, own properties and extensibility, which the core
   * saves and restores around the codec's own data (its internal slots). Leaf
   * codecs (symbols, function references, tensors, models) save only what they say.
   */
  record: boolean;
  /** Whether this codec handles `value` (asked in list order; the first that says yes wins). */
  test(value: unknown): boolean;
  /** The prototype a value of this kind has unless changed; it is not written. */
  naturalProto?(value: V): object | null;
  /**
   * The own keys that are properties to save as such (default: Reflect.ownKeys);
   * keys that are part of the codec's data (typed array indices, say) are left out.
   */
  ownKeys?(value: V): PropertyKey[];
  /**
   * True when v8.serialize brings this value back exactly as it is (given its
   * members are encoded in turn): then it is not a marker.
   */
  isPlain?(value: V): boolean;
  /** For plain containers: visit each member (the fast whole-graph check). */
  plainMembers?(value: V, visit: (member: unknown) => void): void;
  /** For plain containers: the container copy, members encoded (remember it first). Leaves: the value itself. */
  plainCopy?(value: V, enc: EncodeApi): unknown;
  /** Fills the codec's fields of the marker (already remembered, so cycles through it work). */
  encode(value: V, marker: M, enc: EncodeApi): void;
  /**
   * Makes the value back. Record kinds: a fresh object with the internal data
   * (contents that may refer back go in `fill`); `proto` is the resolved
   * prototype when the marker names one, for codecs that create with it.
   */
  decode(marker: M, dec: DecodeApi, proto: object | null | undefined): unknown;
  /** Record kinds: contents added after the object is remembered (Map entries, say). */
  fill?(target: V, marker: M, dec: DecodeApi): void;
  /**
   * An own accessor the JavaScript engine itself puts on values of this kind, as the data property it stands
   * for (newer V8s, Deno's and Node 22's, give every Error an own `stack` getter/setter pair); undefined for
   * any other accessor, which is refused as usual.
   */
  engineAccessor?(value: V, key: PropertyKey, descriptor: PropertyDescriptor): PropertyDescriptor | undefined;
  /** Record kinds whose fresh objects have own properties of their own (an Error's `stack`) to clear first. */
  freshOwnKeys?: boolean;
  /** Async loading before the walk, for markers registered with `enc.preload` (models). */
  preload?(marker: M, dec: DecodeApi): Promise<unknown>;
}

export interface EncodeApi {
  /** Encodes a member; `segment` is how it is reached, for error paths. */
  encode(value: unknown, segment?: PathSegment): unknown;
  /** Registers the skeleton node of an original object before its members are encoded. */
  remember<T>(original: object, node: T): T;
  /** Inline when small, else a blob file written from `bytes` itself (never copied). */
  bytes(bytes: Uint8Array, what: string): BytesRef;
  /** A blob whose chunks a job fills in later. */
  blob(what: string): { ref: BytesRef; setChunks(chunks: Uint8Array[]): void };
  /** Async work (reading tensor data, saving models), run after the walk and before any write. */
  job(run: () => Promise<void>): void;
  /** Work after the whole walk (links that need every object seen, e.g. a layer to its model). */
  afterWalk(run: () => void): void;
  /** Notes that loading needs this class or function of the consuming step, first reached here. */
  requires(registry: 'class' | 'function', name: string, instance: boolean): void;
  /** Loads this marker (with the codec's `preload`) before the walk that decodes it. */
  preload(marker: Marker): void;
  /** The skeleton node of an object already encoded, or undefined. */
  nodeOf(original: object): unknown;
  /** Puts two encoded objects' values in one group (they must load together). */
  join(a: object, b: object): void;
  needsTf(): void;
  /** The error for the value being encoded now (or, in `afterWalk`, the one that registered it). */
  fail(problem: Unsupported): MarshalError;
  failAt(path: string, problem: Unsupported): MarshalError;
  /** The path of the value being encoded now, for messages and manifests. */
  here(): string;
  readonly classes: Readonly<Record<string, NotebookClass>>;
  readonly functions: Readonly<Record<string, NotebookClass>>;
}

export interface DecodeApi {
  decode(node: unknown): unknown;
  /** The bytes as an ArrayBuffer this value may own (exactly sized, offset 0). */
  bytes(ref: BytesRef): ArrayBuffer;
  tf(): TfModule;
  /** A model loaded before the walk, by its marker. */
  model(marker: Marker): unknown;
  /** A class or function of the consuming step's `functions` cells, by name. */
  registered(registry: 'class' | 'function', name: string, path: string): NotebookClass;
}
