/**
 * Built-in prototypes a record may have, by name: what `{ builtin: name }`
 * in a skeleton means. Every process of one Node.js has the same ones.
 */
const typedArrays = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array
];

const constructors: Record<string, { prototype: object }> = {
  Object,
  Array,
  Map,
  Set,
  Date,
  RegExp,
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
  AggregateError,
  Number,
  String,
  Boolean,
  BigInt,
  Symbol,
  ArrayBuffer,
  SharedArrayBuffer,
  DataView,
  Buffer,
  URL,
  URLSearchParams,
  ...Object.fromEntries(typedArrays.map(ctor => [ctor.name, ctor]))
};

const byName = new Map<string, object>(Object.entries(constructors).map(([name, ctor]) => [name, ctor.prototype]));
const nameOf = new Map<object, string>([...byName].map(([name, proto]) => [proto, name]));

export function builtinPrototypeName(proto: object): string | undefined {
  return nameOf.get(proto);
}

export function builtinPrototype(name: string): object | undefined {
  return byName.get(name);
}
