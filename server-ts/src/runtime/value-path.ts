/**
 * Where a value sits inside a variable, written as the JavaScript that would
 * reach it: `cfg.handler`, `rows[3]`, `meta.get("lr")`. The walkers push and
 * pop segments on one array and only format it when reporting an error, so a
 * million-element array costs no strings.
 */

/** A step from a container to one of its members. */
export type PathSegment =
  | string // property of an object
  | number // index of an array
  | symbol // symbol-keyed property
  | { mapKey: unknown; index: number } // value of a Map entry
  | { mapKeyAt: number } // key of a Map entry (an object used as a key)
  | { setAt: number } // element of a Set, in insertion order
  | { prototype: true } // Object.getPrototypeOf(...)
  | { raw: string }; // appended as written, e.g. `.valueOf()`

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(variable: string, segments: readonly PathSegment[]): string {
  let text = variable;
  for (const segment of segments) {
    if (typeof segment === 'object' && 'prototype' in segment) text = `Object.getPrototypeOf(${text})`;
    else text += formatSegment(segment);
  }
  return text;
}

/** `Symbol.for("k")`, `Symbol.iterator` or `Symbol(x)`, as the user would write it. */
export function formatSymbol(symbol: symbol): string {
  const key = Symbol.keyFor(symbol);
  if (key !== undefined) return `Symbol.for(${JSON.stringify(key)})`;
  const description = symbol.description ?? '';
  if (description.startsWith('Symbol.')) return description;
  return symbol.toString();
}

function formatSegment(segment: Exclude<PathSegment, { prototype: true }>): string {
  if (typeof segment === 'number') return `[${segment}]`;
  if (typeof segment === 'symbol') return `[${formatSymbol(segment)}]`;
  if (typeof segment === 'string') {
    return identifier.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  if ('raw' in segment) return segment.raw;
  if ('setAt' in segment) return `.values()[${segment.setAt}]`;
  if ('mapKeyAt' in segment) return `.keys()[${segment.mapKeyAt}]`;
  const key = segment.mapKey;
  if (typeof key === 'string') return `.get(${JSON.stringify(key)})`;
  if (typeof key === 'bigint') return `.get(${key}n)`;
  if (key === null || typeof key === 'number' || typeof key === 'boolean' || key === undefined) {
    return `.get(${String(key)})`;
  }
  return `.values()[${segment.index}]`;
}
