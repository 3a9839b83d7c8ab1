/**
 * The run-time plan check rests on fingerprints: every change a step's cells can make to a loaded value must
 * change its fingerprint, and an unchanged value (or an exact copy of plain data) must keep it.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { fingerprint, fingerprintGraph, portableFingerprint } from '../../src/runtime/fingerprint.js';
import { changedSinceLoad, fingerprintAsLoaded } from '../../src/runtime/load-check.js';

const portable = (value: unknown) => portableFingerprint(value)?.fingerprint ?? null;

/**
 * Asserts that `change` alters the fingerprint of what `make` builds, and its portable fingerprint when it has
 * one (what a consuming step compares with the producer's record).
 */
function changes(what: string, make: () => unknown, change: (value: any) => void): void {
  const value = make();
  const before = fingerprint(value);
  const portableBefore = portable(value);
  assert.equal(fingerprint(value), before, `${what}: fingerprint is stable`);
  assert.equal(portable(value), portableBefore, `${what}: portable fingerprint is stable`);
  change(value);
  assert.notEqual(fingerprint(value), before, `${what}: the change is seen`);
  if (portableBefore !== null)
    assert.notEqual(portable(value), portableBefore, `${what}: the change is seen (portable)`);
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, score: i / 2, tag: `t${i % 3}` }));

test('a change to any row of a table of same-shaped objects is seen (key lists are cached per shape)', () => {
  changes(
    'value',
    () => rows(100),
    r => (r[57].score = -1)
  );
  changes(
    'renamed key',
    () => rows(100),
    r => {
      r[57] = { id: 57, scorf: 28.5, tag: 't0' };
    }
  );
  changes(
    'renamed key in place',
    () => rows(100),
    r => {
      delete r[99].tag;
      r[99].tah = 't0';
    }
  );
  changes(
    'added key',
    () => rows(100),
    r => (r[3].extra = 1)
  );
  changes(
    'deleted key',
    () => rows(100),
    r => delete r[0].id
  );
  changes(
    'reordered keys',
    () => rows(100),
    r => {
      const { id, score, tag } = r[10];
      r[10] = { score, id, tag };
    }
  );
  changes(
    'a row replaced by a different key list of the same length',
    () => rows(3),
    r => {
      r[1] = { a: 1, b: 2, c: 3 };
    }
  );
});

test('structure, sharing, numbers and extensibility are part of the fingerprint', () => {
  changes(
    '-0',
    () => ({ x: 0 }),
    v => (v.x = -0)
  );
  changes(
    'NaN vs undefined',
    () => ({ x: NaN }),
    v => (v.x = undefined)
  );
  changes(
    'hole',
    () => [1, 2, 3],
    v => delete v[1]
  );
  changes(
    'long array hole',
    () => Array.from({ length: 100 }, (_, i) => i),
    v => delete v[70]
  );
  changes(
    'shared becomes a copy',
    () => {
      const inner = { a: 1 };
      return { x: inner, y: inner };
    },
    v => (v.y = { ...v.x })
  );
  changes(
    'copy becomes shared',
    () => ({ x: { a: 1 }, y: { a: 1 } }),
    v => (v.y = v.x)
  );
  changes(
    'cycle',
    () => ({ self: null as unknown }),
    v => (v.self = v)
  );
  changes(
    'freeze',
    () => ({ a: 1 }),
    v => Object.freeze(v)
  );
  changes(
    'prototype',
    () => ({ a: 1 }),
    v => Object.setPrototypeOf(v, null)
  );
});

test('built-in containers, binary data and class instances are fingerprinted over their content', () => {
  changes(
    'Map value',
    () => new Map([['k', 1]]),
    m => m.set('k', 2)
  );
  changes(
    'Map order',
    () =>
      new Map([
        ['a', 1],
        ['b', 2]
      ]),
    m => {
      m.delete('a');
      m.set('a', 1);
    }
  );
  changes(
    'Set member',
    () => new Set([1, 2]),
    s => s.add(3)
  );
  changes(
    'Date',
    () => new Date(0),
    d => d.setTime(1)
  );
  changes(
    'RegExp lastIndex',
    () => /a/g,
    r => (r.lastIndex = 1)
  );
  changes(
    'typed array byte',
    () => new Float32Array(1000),
    a => (a[999] = 1)
  );
  changes(
    'ArrayBuffer byte',
    () => new ArrayBuffer(16),
    b => (new Uint8Array(b)[3] = 7)
  );
  class Point {
    constructor(public x: number) {}
  }
  changes(
    'instance field',
    () => new Point(1),
    p => (p.x = 2)
  );
  changes(
    'non-enumerable field',
    () => new Point(1),
    p => Object.defineProperty(p, 'hidden', { value: 1, enumerable: false })
  );
  changes(
    'descriptor',
    () => new Point(1),
    p => Object.defineProperty(p, 'x', { writable: false })
  );
});

test('the objects a fingerprinted value reaches include shared objects and the buffers under its views', () => {
  const shared = { a: 1 };
  const view = new Uint8Array(8);
  const value = { list: [shared, shared], view };
  const { objects } = fingerprintGraph(value);
  for (const object of [value, value.list, shared, view, view.buffer]) assert.equal(objects.has(object), true);
  assert.equal(objects.has({ a: 1 }), false);
});

test('plain data and its structured clone have one fingerprint; any leaf changed changes it', () => {
  const leaf = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
  const { tree } = fc.letrec(tie => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('tree'), { maxLength: 5 }),
      fc.dictionary(fc.string({ maxLength: 4 }), tie('tree'), { maxKeys: 5, noNullPrototype: true })
    )
  }));
  fc.assert(
    fc.property(tree, value => {
      assert.equal(fingerprint(structuredClone(value)), fingerprint(value));
    })
  );
  fc.assert(
    fc.property(
      fc.array(fc.record({ id: fc.integer(), name: fc.string() }), { minLength: 1 }),
      fc.nat(),
      (list, at) => {
        const before = fingerprint(list);
        const row = list[at % list.length]!;
        row.id = row.id === 0 ? 1 : 0;
        assert.notEqual(fingerprint(list), before);
      }
    )
  );
});

test('a portable fingerprint exists exactly for values with nothing known only by identity', () => {
  const buffer = new ArrayBuffer(8);
  const withBuiltins = {
    rows: rows(3),
    nothing: Object.create(null),
    map: new Map([[{ k: 1 }, new Set([1])]]),
    when: new Date(5),
    pattern: /a/g,
    boxed: new Number(1),
    failure: new RangeError('r'),
    views: [new Uint8Array(buffer), new Float64Array(buffer)],
    registered: Symbol.for('app')
  };
  assert.notEqual(portable(withBuiltins), null);
  class Point {
    x = 1;
  }
  for (const [what, value] of [
    ['function', { f: () => 1 }],
    ['unique symbol', [Symbol('u')]],
    ['class instance', { p: new Point() }],
    ['object made from a class prototype', Object.create(Point.prototype)]
  ] as const) {
    assert.equal(portable(value), null, what);
  }
});

test('views of one buffer: which buffer a view is over is part of the portable fingerprint', () => {
  changes(
    'views move to two buffers',
    () => {
      const buffer = new ArrayBuffer(8);
      return [new Uint8Array(buffer, 0, 4), new Uint8Array(buffer, 4, 4)];
    },
    v => {
      v[1] = new Uint8Array(new ArrayBuffer(8), 4, 4);
    }
  );
  const shared = new ArrayBuffer(8);
  const two = new ArrayBuffer(8);
  assert.notEqual(
    portable([new Uint8Array(shared), new Uint8Array(shared)]),
    portable([new Uint8Array(shared), new Uint8Array(two)])
  );
});

test('a portable fingerprint is the same in every walk and in a structured clone, and marks only that walk', () => {
  const value = { list: rows(50), again: null as unknown };
  value.again = value.list;
  const first = portableFingerprint(value)!;
  const second = portableFingerprint(value)!;
  assert.equal(second.fingerprint, first.fingerprint);
  assert.equal(portable(structuredClone(value)), first.fingerprint);
  // Each walk answers for its own objects; the marks it left are invisible to reflection and cloning.
  assert.equal(first.objects.has(value.list[7]!), true);
  assert.equal(first.objects.has({}), false);
  assert.deepEqual(Reflect.ownKeys(value.list[7]!), ['id', 'score', 'tag']);
  assert.deepEqual(structuredClone(value.list[7]), { id: 7, score: 3.5, tag: 't1' });
  const frozen = Object.freeze({ a: 1 });
  assert.notEqual(portable(frozen), null);
  assert.equal(Object.isFrozen(frozen), true);
});

test('a load check against a recorded fingerprint: a change is seen, and a wrong record cannot invent one', async () => {
  const value = { list: rows(10) };
  const record = portable(value)!;
  const asSaved = structuredClone(value); // what loading the files afresh gives
  const loaded = fingerprintAsLoaded(value, record, async () => asSaved);
  assert.equal((await changedSinceLoad(loaded, value)).changed, false);
  value.list[4]!.score = -1;
  assert.equal((await changedSinceLoad(loaded, value)).changed, true);
  // A record that disagrees with the value as loaded (it never should): loading it afresh decides.
  const copy = { list: rows(10) };
  const copySaved = structuredClone(copy);
  const wrong = fingerprintAsLoaded(copy, '0123456789abcdef', async () => copySaved);
  assert.equal((await changedSinceLoad(wrong, copy)).changed, false);
  copy.list[0]!.id = 99;
  assert.equal((await changedSinceLoad(wrong, copy)).changed, true);
  // The value came to hold a function: it changed, whatever the record says.
  const holder: Record<string, unknown> = { list: rows(2) };
  const recorded = fingerprintAsLoaded(holder, portable(holder)!, async () => ({ list: rows(2) }));
  holder.f = () => 1;
  assert.equal((await changedSinceLoad(recorded, holder)).changed, true);
});

test('an enumerable property on Object.prototype does not hide an own key (for..in is not used then)', () => {
  const proto = Object.prototype as Record<string, unknown>;
  try {
    proto.extra = 1;
    const first = { a: 1, extra: 1 };
    assert.notEqual(fingerprint([first, { a: 1 }]), fingerprint([first, { a: 1, extra: 1 }]));
    assert.notEqual(portable([first, { a: 1 }]), portable([first, { a: 1, extra: 1 }]));
  } finally {
    delete proto.extra;
  }
  // Added by a getter while the walk runs: the walk starts again without for..in.
  const sneaky = (own: boolean) => ({
    get trap() {
      proto.extra = 1;
      return 0;
    },
    rows: [{ a: 1, extra: 1 }, own ? { a: 1, extra: 1 } : { a: 1 }]
  });
  try {
    const without = fingerprint(sneaky(false));
    delete proto.extra;
    assert.notEqual(fingerprint(sneaky(true)), without);
  } finally {
    delete proto.extra;
  }
});
