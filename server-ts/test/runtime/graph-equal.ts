/**
 * Structural equality of two object graphs, stricter than deepStrictEqual:
 * identity (the same object reached twice in one graph is the same object in
 * the other, and distinct objects stay distinct: a bijection), prototypes,
 * own keys in order (symbols too), property attributes, accessors,
 * extensible/sealed/frozen state, holes, -0 and NaN, and the internal data
 * of built-ins (Map/Set order, Date time, RegExp source and flags, boxed
 * values, buffer bytes, view type/offset/length/buffer identity, URLs).
 * Returns the first difference as text, or undefined when the graphs match.
 */
import { types } from 'node:util';

type Pending = [actual: unknown, expected: unknown, path: string];

const typedArrayName = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Int8Array.prototype) as object,
  Symbol.toStringTag
)!.get!;

export function graphDifference(actual: unknown, expected: unknown, path = '$'): string | undefined {
  return new GraphComparer().compare([[actual, expected, path]]);
}

/** Compares several pairs with one identity mapping (values loaded together). */
export class GraphComparer {
  private readonly forward = new Map<object, object>();
  private readonly backward = new Map<object, object>();

  compare(pairs: Pending[]): string | undefined {
    const pending = [...pairs];
    while (pending.length > 0) {
      const [a, e, path] = pending.pop()!;
      const problem = this.step(a, e, path, pending);
      if (problem) return problem;
    }
    return undefined;
  }

  private step(a: unknown, e: unknown, path: string, pending: Pending[]): string | undefined {
    if (typeof a !== typeof e) return `${path}: typeof ${typeof a} vs ${typeof e}`;
    if (typeof e === 'function') return a === e ? undefined : `${path}: a different function`;
    if (typeof e !== 'object' || e === null) {
      return Object.is(a, e) ? undefined : `${path}: ${describe(a)} vs ${describe(e)}`;
    }
    if (a === null) return `${path}: null vs an object`;
    const ao = a as object;
    const eo = e;
    if (ao === eo) return undefined; // the same object (an intrinsic, a class prototype)
    const mapped = this.forward.get(eo);
    if (mapped !== undefined) return mapped === ao ? undefined : `${path}: identity lost (not the object seen before)`;
    if (this.backward.has(ao)) return `${path}: two objects became one`;
    this.forward.set(eo, ao);
    this.backward.set(ao, eo);

    pending.push([Object.getPrototypeOf(ao), Object.getPrototypeOf(eo), `Object.getPrototypeOf(${path})`]);
    if (Object.isExtensible(ao) !== Object.isExtensible(eo)) return `${path}: extensible differs`;
    if (Object.isSealed(ao) !== Object.isSealed(eo)) return `${path}: sealed differs`;
    if (Object.isFrozen(ao) !== Object.isFrozen(eo)) return `${path}: frozen differs`;

    for (const check of kindChecks) {
      if (check(ao) !== check(eo)) return `${path}: kind differs (${check.name})`;
    }
    const internal = this.internal(ao, eo, path, pending);
    if (internal) return internal;

    const skipIndices = types.isTypedArray(eo);
    const keysOf = (o: object): PropertyKey[] =>
      Reflect.ownKeys(o).filter(k => !(skipIndices && typeof k === 'string' && /^\d+$/.test(k)));
    const ak = keysOf(ao);
    const ek = keysOf(eo);
    if (ak.length !== ek.length || ak.some((k, i) => k !== ek[i])) {
      return `${path}: own keys [${ak.map(String).join(',')}] vs [${ek.map(String).join(',')}]`;
    }
    for (const key of ek) {
      const ad = Object.getOwnPropertyDescriptor(ao, key)!;
      const ed = Object.getOwnPropertyDescriptor(eo, key)!;
      const at = `${path}[${String(key)}]`;
      for (const flag of ['writable', 'enumerable', 'configurable'] as const) {
        if (ad[flag] !== ed[flag]) return `${at}: ${flag} ${String(ad[flag])} vs ${String(ed[flag])}`;
      }
      if ('get' in ad || 'get' in ed) return `${at}: an accessor`;
      pending.push([ad.value, ed.value, at]);
    }
    return undefined;
  }

  private internal(a: object, e: object, path: string, pending: Pending[]): string | undefined {
    if (types.isMap(e)) {
      const ae = [...Map.prototype.entries.call(a)];
      const ee = [...Map.prototype.entries.call(e)];
      if (ae.length !== ee.length) return `${path}: map size ${ae.length} vs ${ee.length}`;
      ee.forEach(([k, v], i) => {
        pending.push([ae[i]![0], k, `${path}.keys()[${i}]`], [ae[i]![1], v, `${path}.values()[${i}]`]);
      });
    } else if (types.isSet(e)) {
      const ai = [...Set.prototype.values.call(a)];
      const ei = [...Set.prototype.values.call(e)];
      if (ai.length !== ei.length) return `${path}: set size ${ai.length} vs ${ei.length}`;
      ei.forEach((v, i) => pending.push([ai[i], v, `${path}.values()[${i}]`]));
    } else if (types.isDate(e)) {
      if (!Object.is(Date.prototype.getTime.call(a), Date.prototype.getTime.call(e))) return `${path}: date differs`;
    } else if (types.isRegExp(e)) {
      const re = (r: object): string => `${String((r as RegExp).source)}/${String((r as RegExp).flags)}`;
      if (RegExp.prototype.toString.call(a) !== RegExp.prototype.toString.call(e))
        return `${path}: ${re(a)} vs ${re(e)}`;
    } else if (types.isBoxedPrimitive(e)) {
      pending.push([unbox(a), unbox(e), `${path}.valueOf()`]);
    } else if (types.isAnyArrayBuffer(e)) {
      const ab = new Uint8Array(a as ArrayBuffer);
      const eb = new Uint8Array(e as ArrayBuffer);
      if (ab.length !== eb.length || ab.some((x, i) => x !== eb[i])) return `${path}: buffer bytes differ`;
    } else if (ArrayBuffer.isView(e)) {
      const av = a as ArrayBufferView;
      const type = (v: ArrayBufferView): string =>
        types.isDataView(v) ? 'DataView' : (typedArrayName.call(v) as string);
      if (type(av) !== type(e)) return `${path}: ${type(av)} vs ${type(e)}`;
      if (av.byteOffset !== e.byteOffset || av.byteLength !== e.byteLength) return `${path}: view offset/length differ`;
      pending.push([av.buffer, e.buffer, `${path}.buffer`]);
    } else if (e instanceof URL) {
      if (!(a instanceof URL) || a.href !== e.href) return `${path}: URL differs`;
    } else if (e instanceof URLSearchParams) {
      if (!(a instanceof URLSearchParams) || a.toString() !== e.toString()) return `${path}: URLSearchParams differ`;
    }
    return undefined;
  }
}

const kindChecks = [
  Array.isArray,
  types.isMap,
  types.isSet,
  types.isDate,
  types.isRegExp,
  types.isNativeError,
  types.isBoxedPrimitive,
  types.isArrayBuffer,
  types.isSharedArrayBuffer,
  types.isTypedArray,
  types.isDataView
];

function unbox(boxed: object): unknown {
  if (types.isNumberObject(boxed)) return Number.prototype.valueOf.call(boxed);
  if (types.isStringObject(boxed)) return String.prototype.valueOf.call(boxed);
  if (types.isBooleanObject(boxed)) return Boolean.prototype.valueOf.call(boxed);
  if (types.isBigIntObject(boxed)) return BigInt.prototype.valueOf.call(boxed);
  return Symbol.prototype.valueOf.call(boxed);
}

function describe(value: unknown): string {
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  if (Object.is(value, -0)) return '-0';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
