/** Exact round-trips, kind by kind, checked with the strict graph comparison. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadValues, saveValues, type SaveValuesContext } from '../../src/runtime/index.js';
import type { NotebookClass } from '../../src/runtime/notebook-class.js';
import { GraphComparer, graphDifference } from './graph-equal.js';
import { filesIn, tempDir } from './helpers.js';

class Point {
  constructor(
    public x: number,
    public y: number
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
class Registry extends Map<string, unknown> {}
class Bag extends Set<unknown> {}
class Stack extends Array<unknown> {}
class Stamp extends Date {}
class AppError extends Error {
  code = 'E_APP';
}
class Pattern extends RegExp {}
function Vec(this: { x: number }, x: number): void {
  this.x = x;
}
(Vec.prototype as { double(): number }).double = function (this: { x: number }) {
  return this.x * 2;
};
function helper(n: number): number {
  return n + 1;
}

const classes: Record<string, NotebookClass> = { Point, Registry, Bag, Stack, Stamp, AppError, Pattern };
const functions: Record<string, NotebookClass> = { Vec, helper };

function saveContext(names: string[]): SaveValuesContext {
  return { step: 'prepare', consumers: Object.fromEntries(names.map(n => [n, ['train']])), classes, functions };
}

async function roundTrip(dir: string, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  await saveValues(dir, values, saveContext(Object.keys(values)));
  return loadValues(dir, Object.keys(values), { step: 'prepare', consumer: 'train', classes, functions });
}

async function assertExact(dir: string, values: Record<string, unknown>): Promise<Record<string, unknown>> {
  const back = await roundTrip(dir, values);
  const names = Object.keys(values);
  const difference = new GraphComparer().compare(names.map(n => [back[n], values[n], n]));
  assert.equal(difference, undefined);
  return back;
}

test('null prototypes, Object.create(o), attributes, symbols, frozen/sealed/non-extensible', async t => {
  const dir = await tempDir(t);
  const base = { greet: 'hi' };
  const bare = Object.create(null) as Record<string, unknown>;
  bare.k = 1;
  const derived = Object.create(base) as Record<string, unknown>;
  derived.own = 2;
  const hidden = { visible: 1 };
  Object.defineProperty(hidden, 'secret', { value: 's', enumerable: false, writable: false, configurable: true });
  Object.defineProperty(hidden, 'fixed', { value: 'f', enumerable: true, writable: true, configurable: false });
  const keyed = { [Symbol.for('app.id')]: 7, [Symbol.iterator]: 'not really', plain: true };
  const frozen = Object.freeze({ a: 1, nested: { b: 2 } });
  const sealed = Object.seal({ c: 3 });
  const closed = Object.preventExtensions({ d: 4 });
  const back = await assertExact(dir, { v: { bare, derived, base, hidden, keyed, frozen, sealed, closed } });
  const v = back.v as Record<string, Record<string | symbol, unknown>>;
  assert.equal(Object.getPrototypeOf(v.bare), null);
  assert.equal(Object.getPrototypeOf(v.derived), v.base);
  assert.equal(v.derived!.greet, 'hi');
  assert.ok(Object.isFrozen(v.frozen) && !Object.isFrozen(v.frozen!.nested));
  assert.ok(Object.isSealed(v.sealed) && !Object.isFrozen(v.sealed));
  assert.equal(v.keyed![Symbol.for('app.id')], 7);
});

test('numbers and holes: -0, NaN, undefined, sparse arrays, extra array properties, odd lengths', async t => {
  const dir = await tempDir(t);
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , undefined, -0, NaN, , ,];
  const tagged = Object.assign([1, 2], { label: 'x' });
  const hiddenLength = [1, 2, 3];
  Object.defineProperty(hiddenLength, 'meta', { value: 'm', enumerable: false });
  const frozenArray = Object.freeze([1, [2]]);
  const big = new Array(100_000).fill(0).map((_, i) => i);
  delete big[500];
  const back = await assertExact(dir, { v: { sparse, tagged, hiddenLength, frozenArray, big, u: undefined, z: -0 } });
  const v = back.v as { sparse: unknown[]; big: number[] };
  assert.equal(v.sparse.length, 7);
  assert.ok(!(1 in v.sparse) && 2 in v.sparse);
  assert.ok(!(500 in v.big));
});

test('Maps and Sets with object keys, Dates, RegExps with lastIndex, boxed primitives, BigInt', async t => {
  const dir = await tempDir(t);
  const key = { id: 1 };
  const map = new Map<unknown, unknown>([
    [key, 'object key'],
    [NaN, 'nan'],
    ['self', null]
  ]);
  map.set('self', map);
  const set = new Set<unknown>([key, map, 1n]);
  const sticky = /a+/gy;
  sticky.lastIndex = 3;
  const regexps = [/x/, sticky, /é/u];
  const dates = [new Date(0), new Date(NaN), Object.assign(new Date(5), { note: 'tagged' })];
  const boxed = [
    new Number(-0),
    new String('ab'),
    Object(10n) as object,
    new Boolean(false),
    Object(Symbol.for('s')) as object
  ];
  const back = await assertExact(dir, { v: { key, map, set, regexps, dates, boxed, big: -(2n ** 70n) } });
  const v = back.v as { key: object; map: Map<unknown, unknown>; regexps: RegExp[] };
  assert.equal(v.map.get(v.key), 'object key');
  assert.equal(v.regexps[1]!.lastIndex, 3);
  assert.equal(v.regexps[1]!.exec('xaaaa')?.index, 3); // sticky: matches at lastIndex
});

test('errors: built-in types, notebook subclasses, cause, AggregateError errors, extra fields', async t => {
  const dir = await tempDir(t);
  const root = new Error('root');
  const range = Object.assign(new RangeError('out', { cause: root }), { code: 42 });
  const aggregate = new AggregateError([root, new TypeError('t')], 'many');
  const app = new AppError('app failed', { cause: 'string cause' });
  const noStack = new SyntaxError('s');
  delete (noStack as { stack?: string }).stack;
  const back = await assertExact(dir, { v: { range, aggregate, app, noStack } });
  const v = back.v as { range: RangeError; aggregate: AggregateError; app: AppError };
  assert.ok(v.range instanceof RangeError);
  assert.equal(v.range.cause, v.aggregate.errors[0]);
  assert.ok(v.app instanceof AppError && v.app instanceof Error);
  assert.equal(v.app.code, 'E_APP');
});

test('classes, ES5 constructor functions and subclasses of built-ins keep prototypes and internal data', async t => {
  const dir = await tempDir(t);
  const registry = new Registry([['p', new Point(3, 4)]]);
  const bag = new Bag([1, registry]);
  const stack = Stack.from([1, 2]) as Stack;
  const stamp = new Stamp(86_400_000);
  const vec = new (Vec as unknown as new (x: number) => { x: number; double(): number })(21);
  const pattern = new Pattern('b+', 'g');
  const back = await assertExact(dir, {
    v: { registry, bag, stack, stamp, vec, pattern, fns: [helper, Vec, Point] }
  });
  const v = back.v as {
    registry: Registry;
    stack: Stack;
    stamp: Stamp;
    vec: { double(): number };
    fns: unknown[];
  };
  assert.equal((v.registry.get('p') as Point).norm(), 5);
  assert.ok(v.stack instanceof Stack && Array.isArray(v.stack));
  assert.equal(v.stamp.getTime(), 86_400_000);
  assert.equal(v.vec.double(), 42);
  assert.deepEqual(v.fns, [helper, Vec, Point]);
});

test('URL and URLSearchParams; a URL keeps its own searchParams', async t => {
  const dir = await tempDir(t);
  const url = new URL('https://example.com/a?x=1&y=2#h');
  const params = url.searchParams;
  const loose = new URLSearchParams('q=search&q=again');
  const back = await assertExact(dir, { params, url, loose });
  const loaded = back.url as URL;
  assert.equal(back.params, loaded.searchParams);
  (back.params as URLSearchParams).set('z', '3');
  assert.match(loaded.href, /z=3/);
});

test('views of one ArrayBuffer load as views of one buffer, large ones from a blob', async t => {
  const dir = await tempDir(t);
  const buffer = new ArrayBuffer(200_000);
  const whole = new Float32Array(buffer);
  const part = new Uint8Array(buffer, 16, 64);
  const dv = new DataView(buffer, 8, 8);
  whole[10] = 1.5;
  const small = new ArrayBuffer(32);
  const a = new Int16Array(small, 2, 3);
  const b = new Uint8Array(small);
  const shared = new SharedArrayBuffer(64);
  const s1 = new Int32Array(shared);
  const s2 = new Uint8Array(shared, 4, 4);
  s1[1] = 0x01020304;
  const back = await assertExact(dir, { whole, part, dv, a, b, s1, s2, buffer });
  assert.equal((back.part as Uint8Array).buffer, (back.whole as Float32Array).buffer);
  assert.equal((back.whole as Float32Array).buffer, back.buffer);
  assert.equal((back.a as Int16Array).buffer, (back.b as Uint8Array).buffer);
  assert.ok((back.s1 as Int32Array).buffer instanceof SharedArrayBuffer);
  assert.equal((back.s2 as Uint8Array).buffer, (back.s1 as Int32Array).buffer);
  assert.ok((await filesIn(dir)).some(f => f.endsWith('.bin')));
});

test('a small Buffer from the pool keeps its offset into the (copied) pool', async t => {
  const dir = await tempDir(t);
  const pooled = Buffer.from('pooled');
  const sibling = Buffer.from('sibling');
  const back = await roundTrip(dir, { pooled, sibling });
  const loaded = back.pooled as Buffer;
  assert.ok(Buffer.isBuffer(loaded));
  assert.equal(loaded.toString(), 'pooled');
  assert.equal(loaded.byteOffset, pooled.byteOffset);
  if (pooled.buffer === sibling.buffer) assert.equal(loaded.buffer, (back.sibling as Buffer).buffer);
});

test('a typed array with extra properties keeps them', async t => {
  const dir = await tempDir(t);
  const big = Object.assign(new Float64Array(10_000), { unit: 'm' });
  Object.defineProperty(big, 'hidden', { value: 1, enumerable: false });
  const back = await assertExact(dir, { big });
  assert.equal((back.big as unknown as { unit: string }).unit, 'm');
});

test('deeply shared plain data across values keeps identity (fast path)', async t => {
  const dir = await tempDir(t);
  const shared = { rows: [1, 2, 3] };
  const a = { shared, list: [shared] };
  const copy = { ...a };
  const back = await roundTrip(dir, { a, copy, alias: a });
  assert.equal(back.alias, back.a);
  assert.equal((back.copy as typeof a).shared, (back.a as typeof a).shared);
  assert.equal(graphDifference([back.a, back.copy], [a, copy]), undefined);
});
