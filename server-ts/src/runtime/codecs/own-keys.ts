/**
 * Own-key helpers shared by the codecs. Listing the own keys of a big array
 * or typed array makes one string per index (seconds for 50M elements), so
 * `nonIndexKeys` first asks util.inspect, whose native helper lists only the
 * non-index keys, whether the value has any beyond what a fresh value of the
 * same kind has; only then does it list them.
 */
import { inspect } from 'node:util';

const probe = {
  showHidden: true,
  depth: 0,
  maxArrayLength: 0,
  customInspect: false,
  getters: false,
  breakLength: Infinity,
  compact: true
} as const;

/** Below this length listing every key is cheaper than two inspections. */
const listDirectlyBelow = 64;

/**
 * The own keys of `value` that are not array indices, in order. `fresh` makes
 * a value of the same kind, prototype and length whose only non-index keys
 * are `baseline` (`length` for an array, none for a typed array).
 */
export function nonIndexKeys(
  value: object,
  length: number,
  fresh: () => object,
  baseline: readonly PropertyKey[]
): PropertyKey[] {
  if (length >= listDirectlyBelow && inspect(value, probe) === inspect(fresh(), probe)) return [...baseline];
  return Reflect.ownKeys(value).filter(key => typeof key === 'symbol' || !isArrayIndex(key));
}

export function isArrayIndex(key: string): boolean {
  if (key.length === 0 || key.length > 10) return false;
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57 || (code === 48 && key.length > 1)) return false;
  const n = Number(key);
  return Number.isInteger(n) && n < 4294967295 && String(n) === key;
}

/** A writable, enumerable, configurable data property: what v8.serialize writes and reads back. */
export function isDefaultData(descriptor: PropertyDescriptor): boolean {
  return (
    descriptor.writable === true &&
    descriptor.enumerable === true &&
    descriptor.configurable === true &&
    !('get' in descriptor)
  );
}

/**
 * The own string keys of an object when all of them are default data
 * properties and it has no symbol keys; otherwise undefined.
 */
export function plainStringKeys(value: object): string[] | undefined {
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  const keys = Object.getOwnPropertyNames(value);
  for (let i = 0; i < keys.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(value, keys[i]!);
    if (descriptor === undefined || !isDefaultData(descriptor)) return undefined;
  }
  return keys;
}

export function hasNoOwnKeys(value: object): boolean {
  return Reflect.ownKeys(value).length === 0;
}
