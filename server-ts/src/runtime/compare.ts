/**
 * Compares two values for `cellflow verify`: the value a step loaded in the
 * pipeline against the same variable in a straight run of the notebook, in
 * one process. Returns the first difference, with the path inside the
 * variable, or null when they are the same: same primitives (`Object.is`,
 * so -0 and NaN count), same prototypes, same own keys with the same
 * descriptors, same holes, same Map and Set entries in order, same bytes of
 * binary data and tensors, same model weights, and the same sharing (an
 * object reached twice on one side is reached twice on the other).
 */
import { isLayersModelLike, isTensorLike, type TensorLike } from './tf-values.js';
import { formatPath, type PathSegment } from './value-path.js';

export interface Difference {
  /** Where, as the JavaScript that reaches it: `rows[3].v`. */
  path: string;
  /** What differs, for people. */
  what: string;
}

export function firstDifference(variable: string, expected: unknown, actual: unknown): Difference | null {
  return new ValueComparison().compare(variable, expected, actual);
}

/**
 * Compares several variables one after another, remembering which objects were paired: two variables that
 * share an object on one side must share it on the other.
 */
export class ValueComparison {
  private readonly comparison = new Comparison();

  compare(variable: string, expected: unknown, actual: unknown): Difference | null {
    return this.comparison.start(variable).compare(expected, actual);
  }
}

class Comparison {
  private variable = '';
  private path: PathSegment[] = [];
  /** Objects of each side paired with the other side's, so sharing must match too (both ways). */
  private readonly pairs = new Map<object, object>();
  private readonly reversePairs = new Map<object, object>();

  start(variable: string): this {
    this.variable = variable;
    this.path = [];
    return this;
  }

  compare(expected: unknown, actual: unknown): Difference | null {
    if (Object.is(expected, actual) && (typeof expected !== 'object' || expected === null)) return null;
    if (typeof expected !== typeof actual || expected === null || actual === null) {
      return this.differ(`${describe(expected)} in the notebook, ${describe(actual)} in the pipeline`);
    }
    if (typeof expected === 'function') {
      return expected === actual ? null : this.differ('a different function');
    }
    if (typeof expected !== 'object') {
      return this.differ(`${describe(expected)} in the notebook, ${describe(actual)} in the pipeline`);
    }
    return this.compareObjects(expected, actual as object);
  }

  private compareObjects(expected: object, actual: object): Difference | null {
    const paired = this.pairs.get(expected);
    const reverse = this.reversePairs.get(actual);
    if (paired !== undefined || reverse !== undefined) {
      if (paired === actual) return null;
      return this.differ(
        paired !== undefined
          ? 'an object the notebook shares with another place is a copy here'
          : 'the pipeline shares an object here that the notebook has as two'
      );
    }
    this.pairs.set(expected, actual);
    this.reversePairs.set(actual, expected);
    if (isTensorLike(expected) || isTensorLike(actual)) return this.compareTensors(expected, actual);
    if (isLayersModelLike(expected) || isLayersModelLike(actual)) return this.compareModels(expected, actual);
    if (Object.getPrototypeOf(expected) !== Object.getPrototypeOf(actual)) {
      return this.differ(
        `an instance of ${className(expected)} in the notebook, of ${className(actual)} in the pipeline`
      );
    }
    if (Object.isExtensible(expected) !== Object.isExtensible(actual))
      return this.differ('extensible on one side only');
    if (ArrayBuffer.isView(expected))
      return this.compareBytes(viewBytes(expected), viewBytes(actual as ArrayBufferView));
    if (expected instanceof ArrayBuffer || expected instanceof SharedArrayBuffer) {
      return this.compareBytes(new Uint8Array(expected), new Uint8Array(actual as ArrayBuffer));
    }
    if (expected instanceof Date && (actual as Date).getTime() !== expected.getTime())
      return this.differ('another date');
    if (expected instanceof RegExp && String(expected) !== String(actual)) return this.differ('another pattern');
    if (expected instanceof Map) {
      const difference = this.compareEntries([...expected], [...(actual as Map<unknown, unknown>)], true);
      if (difference) return difference;
    } else if (expected instanceof Set) {
      const difference = this.compareEntries(
        [...expected].map(v => [v, v]),
        [...(actual as Set<unknown>)].map(v => [v, v]),
        false
      );
      if (difference) return difference;
    }
    return this.compareProperties(expected, actual);
  }

  private compareProperties(expected: object, actual: object): Difference | null {
    const expectedKeys = Reflect.ownKeys(expected);
    const actualKeys = Reflect.ownKeys(actual);
    const missing = expectedKeys.find(k => !Object.hasOwn(actual, k));
    if (missing !== undefined) return this.differ(`no property ${String(missing)} in the pipeline`);
    const extra = actualKeys.find(k => !Object.hasOwn(expected, k));
    if (extra !== undefined) return this.differ(`a property ${String(extra)} the notebook does not have`);
    for (const key of expectedKeys) {
      const e = Object.getOwnPropertyDescriptor(expected, key)!;
      const a = Object.getOwnPropertyDescriptor(actual, key)!;
      this.path.push(
        typeof key === 'symbol' ? `[${String(key)}]` : Array.isArray(expected) && isIndex(key) ? Number(key) : key
      );
      if (e.enumerable !== a.enumerable || e.writable !== a.writable || e.configurable !== a.configurable) {
        return this.differ('the property has other flags (enumerable, writable or configurable)');
      }
      const difference =
        'value' in e
          ? this.compare(e.value, a.value)
          : e.get === a.get && e.set === a.set
            ? null
            : this.differ('another accessor');
      if (difference) return difference;
      this.path.pop();
    }
    return null;
  }

  private compareEntries(expected: unknown[][], actual: unknown[][], isMap: boolean): Difference | null {
    if (expected.length !== actual.length)
      return this.differ(`${expected.length} entries in the notebook, ${actual.length} in the pipeline`);
    for (let i = 0; i < expected.length; i++) {
      this.path.push(isMap ? { mapKeyAt: i } : { setAt: i });
      const keyDifference = this.compare(expected[i]![0], actual[i]![0]);
      if (keyDifference) return keyDifference;
      this.path.pop();
      if (!isMap) continue;
      this.path.push({ mapKey: expected[i]![0], index: i });
      const valueDifference = this.compare(expected[i]![1], actual[i]![1]);
      if (valueDifference) return valueDifference;
      this.path.pop();
    }
    return null;
  }

  private compareBytes(expected: Uint8Array, actual: Uint8Array): Difference | null {
    if (expected.byteLength !== actual.byteLength) {
      return this.differ(`${expected.byteLength} bytes in the notebook, ${actual.byteLength} in the pipeline`);
    }
    for (let i = 0; i < expected.byteLength; i++) {
      if (expected[i] !== actual[i]) return this.differ(`byte ${i} differs`);
    }
    return null;
  }

  private compareTensors(expected: object, actual: object): Difference | null {
    if (!isTensorLike(expected) || !isTensorLike(actual)) return this.differ('a tensor on one side only');
    if (expected.dtype !== actual.dtype || expected.shape.join() !== actual.shape.join()) {
      return this.differ(`a ${shapeOf(expected)} tensor in the notebook, ${shapeOf(actual)} in the pipeline`);
    }
    const [e, a] = [expected.dataSync() as ArrayLike<unknown>, actual.dataSync() as ArrayLike<unknown>];
    for (let i = 0; i < e.length; i++) {
      if (!Object.is(e[i], a[i]))
        return this.differ(`element ${i}: ${String(e[i])} in the notebook, ${String(a[i])} in the pipeline`);
    }
    return null;
  }

  private compareModels(expected: object, actual: object): Difference | null {
    if (!isLayersModelLike(expected) || !isLayersModelLike(actual)) return this.differ('a model on one side only');
    const weights = (model: object) =>
      ((model as { weights?: { read?: () => unknown; name?: string }[] }).weights ?? []).map(w => ({
        name: w.name ?? '',
        tensor: (typeof w.read === 'function' ? w.read() : w) as TensorLike
      }));
    const [e, a] = [weights(expected), weights(actual)];
    if (e.length !== a.length) return this.differ(`${e.length} weights in the notebook, ${a.length} in the pipeline`);
    for (let i = 0; i < e.length; i++) {
      this.path.push(`weights[${i}]`);
      const difference = this.compareTensors(e[i]!.tensor, a[i]!.tensor);
      if (difference) return difference;
      this.path.pop();
    }
    return null;
  }

  private differ(what: string): Difference {
    return { path: formatPath(this.variable, this.path), what };
  }
}

function viewBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function shapeOf(tensor: TensorLike): string {
  return `${tensor.dtype} [${tensor.shape.join(', ')}]`;
}

function className(value: object): string {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null) return 'no prototype';
  const ctor = (prototype as { constructor?: { name?: string } }).constructor;
  return ctor?.name ? `\`${ctor.name}\`` : 'an unnamed class';
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}

function isIndex(key: string | symbol): key is string {
  return typeof key === 'string' && /^(0|[1-9][0-9]*)$/.test(key);
}
