/**
 * Property tests: random object graphs (cycles, shared references, every
 * value kind, attributes, frozen/sealed state, holes), several values saved
 * together. Loading gives back exactly the same graph (GraphComparer), or the
 * save is refused with a MarshalError that names one of the values and
 * leaves no file.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { loadValues, MarshalError, savedValueNames, saveValues } from '../../src/runtime/index.js';
import { portableFingerprint } from '../../src/runtime/fingerprint.js';
import { recordedFingerprints } from '../../src/runtime/marshal.js';
import type { NotebookClass } from '../../src/runtime/notebook-class.js';
import { GraphComparer } from './graph-equal.js';

class Point {
  x = 0;
}
class Registry extends Map<unknown, unknown> {}
class Stack extends Array<unknown> {}
class Failure extends TypeError {}
class Stamp extends Date {}
function Legacy(this: { made: boolean }): void {
  this.made = true;
}
class Secretive {
  #hidden = 1;
  peek(): number {
    return this.#hidden;
  }
}
const classes: Record<string, NotebookClass> = { Point, Registry, Stack, Failure, Stamp, Secretive };
const functions: Record<string, NotebookClass> = { Legacy };

const kinds = [
  'object',
  'null-proto',
  'array',
  'map',
  'set',
  'date',
  'regexp',
  'boxed',
  'error',
  'aggregate',
  'point',
  'legacy',
  'registry',
  'stack',
  'failure',
  'stamp',
  'array-buffer',
  'shared',
  'view',
  'url',
  'params',
  'derived'
] as const;
type Kind = (typeof kinds)[number];

const primitive = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, NaN, Infinity, undefined, null, true, ''),
  fc.string({ maxLength: 6 }),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.constantFrom(Symbol.for('app'), Symbol.iterator, Symbol.for(''))
);

const key = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'length2', '0', '3', '__proto__', 'name2', 'x'),
  fc.constantFrom(Symbol.for('k'), Symbol.toStringTag)
);

const edge = fc.record({
  from: fc.nat(),
  slot: fc.constantFrom('prop', 'prop', 'item', 'entry'),
  key,
  flags: fc.integer({ min: 0, max: 7 }),
  to: fc.oneof(fc.record({ node: fc.nat() }), fc.record({ value: primitive }))
});

const recipe = fc.record({
  nodes: fc.array(
    fc.record({
      kind: fc.constantFrom(...kinds),
      state: fc.constantFrom('open', 'open', 'open', 'closed', 'sealed', 'frozen'),
      seed: fc.nat({ max: 1000 })
    }),
    { minLength: 1, maxLength: 10 }
  ),
  edges: fc.array(edge, { maxLength: 25 }),
  roots: fc.array(fc.nat(), { minLength: 1, maxLength: 4 })
});

type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

function build(r: Recipe): Record<string, unknown> {
  const nodes: object[] = [];
  for (const { kind, seed } of r.nodes) nodes.push(make(kind, seed, nodes));
  const value = (to: Recipe['edges'][number]['to']): unknown =>
    'node' in to ? nodes[to.node % nodes.length] : to.value;
  for (const e of r.edges) {
    const from = nodes[e.from % nodes.length]!;
    const target = value(e.to);
    try {
      if (e.slot === 'item' && from instanceof Set) from.add(target);
      else if (e.slot === 'item' && Array.isArray(from)) from.push(target);
      else if (e.slot === 'entry' && from instanceof Map) from.set(target, e.key);
      else if (ArrayBuffer.isView(from) && typeof e.key === 'string' && /^\d+$/.test(e.key)) continue;
      else
        Object.defineProperty(from, e.key, {
          value: target,
          writable: (e.flags & 1) !== 0,
          enumerable: (e.flags & 2) !== 0,
          configurable: (e.flags & 4) !== 0
        });
    } catch {
      // a key that is already non-configurable, say: skip the edge
    }
  }
  r.nodes.forEach(({ state }, i) => {
    const node = nodes[i]!;
    try {
      if (state === 'closed') Object.preventExtensions(node);
      else if (state === 'sealed') Object.seal(node);
      else if (state === 'frozen') Object.freeze(node);
    } catch {
      Object.preventExtensions(node); // typed arrays cannot be frozen
    }
  });
  const values: Record<string, unknown> = {};
  r.roots.forEach((root, i) => {
    values[`v${i}`] = nodes[root % nodes.length];
  });
  return values;
}

function make(kind: Kind, seed: number, earlier: object[]): object {
  switch (kind) {
    case 'object':
      return { seed };
    case 'null-proto':
      return Object.create(null) as object;
    case 'array': {
      const array: unknown[] = [seed];
      if (seed % 3 === 0) array.length = 4; // holes at the end
      if (seed % 5 === 0) array[6] = 'after a hole';
      return array;
    }
    case 'map':
      return new Map([[seed, 'n']]);
    case 'set':
      return new Set([seed]);
    case 'date':
      return new Date(seed % 7 === 0 ? NaN : seed * 1e9);
    case 'regexp': {
      const regexp = new RegExp(`a{${seed % 4}}b`, seed % 2 ? 'g' : 'iu');
      regexp.lastIndex = seed % 3;
      return regexp;
    }
    case 'boxed':
      return [new Number(seed), new String(`s${seed}`), new Boolean(seed % 2), Object(BigInt(seed)) as object][
        seed % 4
      ]!;
    case 'error':
      return seed % 2 ? new RangeError(`r${seed}`, { cause: seed }) : new Error(`e${seed}`);
    case 'aggregate':
      return new AggregateError([seed], 'agg');
    case 'point':
      return Object.assign(new Point(), { x: seed });
    case 'legacy':
      return new (Legacy as unknown as new () => object)();
    case 'registry':
      return new Registry([['seed', seed]]);
    case 'stack':
      return Stack.of(seed);
    case 'failure':
      return new Failure(`f${seed}`);
    case 'stamp':
      return new Stamp(seed);
    case 'array-buffer':
      return new Uint8Array([seed % 256, 1, 2, 3, 4, 5, 6, 7]).buffer;
    case 'shared':
      return new SharedArrayBuffer(8 + (seed % 8));
    case 'view': {
      const buffer = earlier.find(n => n instanceof ArrayBuffer || n instanceof SharedArrayBuffer) as
        ArrayBuffer | undefined;
      if (!buffer || buffer.byteLength < 4) return new Int16Array([seed, -seed]);
      const offset = seed % 2 ? 0 : 2;
      return seed % 3 === 0 ? new DataView(buffer, offset, 2) : new Uint16Array(buffer, offset, 1);
    }
    case 'url':
      return new URL(`https://example.com/${seed}?q=${seed}`);
    case 'params':
      return new URLSearchParams({ seed: String(seed) });
    case 'derived': {
      const base = earlier.find(n => Object.getPrototypeOf(n) === Object.prototype);
      return Object.create(base ?? { base: true }) as object;
    }
  }
}

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cellflow-prop-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const saveContext = (names: string[]) => ({
  step: 'make',
  consumers: Object.fromEntries(names.map(n => [n, ['use']])),
  classes,
  functions
});
const loadContext = { step: 'make', consumer: 'use', classes, functions };

test('random graphs of every kind, several values saved together, load back exactly', async () => {
  await fc.assert(
    fc.asyncProperty(recipe, async r => {
      const values = build(r);
      const names = Object.keys(values);
      await withDir(async dir => {
        await saveValues(dir, values, { ...saveContext(names), fingerprints: true });
        const saved = { ...savedValueNames(dir), fingerprints: recordedFingerprints(dir) };
        assert.deepEqual(saved.names, [...names].sort());
        const back = await loadValues(dir, names, loadContext);
        const difference = new GraphComparer().compare(names.map(n => [back[n], values[n], n]));
        assert.equal(difference, undefined);
        // The fingerprint the saving step recorded is the loading step's own of what it loaded, so the plan check
        // can compare with it instead of fingerprinting the value as loaded.
        for (const name of names) {
          assert.equal(saved.fingerprints[name], portableFingerprint(values[name])?.fingerprint, `${name} recorded`);
          if (saved.fingerprints[name] !== undefined) {
            assert.equal(portableFingerprint(back[name])?.fingerprint, saved.fingerprints[name], `${name} as loaded`);
          }
        }
        // Each group loads on its own with the same result.
        for (const group of savedValueNames(dir).groups) {
          const alone = await loadValues(dir, [group[0]!], loadContext);
          assert.deepEqual(Object.keys(alone).sort(), group);
        }
      });
    }),
    { numRuns: Number(process.env.CELLFLOW_PROPERTY_RUNS ?? 150) }
  );
});

const badValues: [string, () => unknown][] = [
  ['closure', () => () => 1],
  ['unique symbol', () => Symbol('u')],
  ['weak map', () => new WeakMap()],
  ['promise', () => Promise.resolve()],
  ['private fields', () => new Secretive()],
  [
    'getter',
    () => ({
      get g() {
        return 1;
      }
    })
  ],
  ['proxy', () => new Proxy({}, {})]
];

test('a graph holding something that cannot travel is refused, with no file left', async () => {
  await fc.assert(
    fc.asyncProperty(recipe, fc.nat({ max: badValues.length - 1 }), async (r, which) => {
      const values = build(r);
      const names = Object.keys(values);
      const host = { bad: badValues[which]![1]() };
      values[names[0]!] = [values[names[0]!], host];
      await withDir(async dir => {
        await assert.rejects(saveValues(dir, values, saveContext(names)), (error: unknown) => {
          assert.ok(error instanceof MarshalError, String(error));
          assert.ok(names.includes(error.variable));
          assert.deepEqual(error.consumers, ['use']);
          assert.match(error.path, /\.bad/);
          return true;
        });
        assert.deepEqual(await readdir(dir), []);
      });
    }),
    { numRuns: Number(process.env.CELLFLOW_PROPERTY_RUNS ?? 60) }
  );
});
