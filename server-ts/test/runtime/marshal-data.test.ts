import assert from 'node:assert/strict';
import { readFile, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadValue, saveValue, ValueLoadError, type ValueManifest } from '../../src/runtime/index.js';
import { context, filesIn, tempDir } from './helpers.js';
import type { NotebookClass } from '../../src/runtime/notebook-class.js';

async function roundTrip(dir: string, name: string, value: unknown, classes: Record<string, NotebookClass> = {}) {
  await saveValue(dir, name, value, context(classes));
  return loadValue(dir, name, context(classes));
}

test('plain structured-clone data round-trips as is', async t => {
  const dir = await tempDir(t);
  const value = {
    n: 1.5,
    negativeZero: -0,
    nan: NaN,
    missing: undefined,
    text: 'héllo',
    big: 2n ** 100n,
    when: new Date('2024-02-29T12:00:00Z'),
    pattern: /ab+c/gi,
    nested: { list: [1, 'two', [3, { four: 4 }]], flag: true, none: null },
    meta: new Map<unknown, unknown>([
      ['lr', 0.01],
      [7, new Set(['a', 'b'])]
    ]),
    tags: new Set([1, 2, 3])
  };
  const info = await saveValue(dir, 'cfg', value, context());
  assert.equal(info.name, 'cfg');
  assert.equal(info.kind, 'data');
  const back = (await loadValue(dir, 'cfg', context())) as typeof value;
  assert.deepEqual(back, value);
  assert.ok(Object.is(back.negativeZero, -0));
  assert.equal(back.big, 1267650600228229401496703205376n);
  assert.ok(back.when instanceof Date);
  assert.equal(back.pattern.flags, 'gi');
  assert.deepEqual(await filesIn(dir), ['cfg.json', 'cfg.v8']);
});

test('top-level BigInt, Date, string and undefined', async t => {
  const dir = await tempDir(t);
  assert.equal(await roundTrip(dir, 'big', -(10n ** 30n)), -(10n ** 30n));
  const date = (await roundTrip(dir, 'date', new Date(86_400_000))) as Date;
  assert.ok(date instanceof Date);
  assert.equal(date.toISOString(), '1970-01-02T00:00:00.000Z');
  assert.equal(await roundTrip(dir, 'text', 'x'.repeat(100_000)), 'x'.repeat(100_000));
  assert.equal(await roundTrip(dir, 'nothing', undefined), undefined);
});

test('shared references and cycles survive', async t => {
  const dir = await tempDir(t);
  const shared = { id: 1 };
  const value: Record<string, unknown> = {
    a: shared,
    b: [shared],
    m: new Map([['s', shared]])
  };
  value.self = value;
  const back = (await roundTrip(dir, 'graph', value)) as typeof value;
  assert.equal(back.self, back);
  assert.equal(back.a, (back.b as unknown[])[0]);
  assert.equal(back.a, (back.m as Map<string, unknown>).get('s'));

  // The same through a marked value (a Buffer forces the skeleton path).
  const marked: Record<string, unknown> = {
    a: shared,
    b: [shared],
    buf: Buffer.from('x')
  };
  marked.self = marked;
  marked.again = marked.buf;
  const back2 = (await roundTrip(dir, 'marked', marked)) as typeof marked;
  assert.equal(back2.self, back2);
  assert.equal(back2.a, (back2.b as unknown[])[0]);
  assert.equal(back2.buf, back2.again);
});

test('a Buffer comes back as a Buffer, small and large', async t => {
  const dir = await tempDir(t);
  const small = Buffer.from('hello, buffer');
  const backSmall = await roundTrip(dir, 'small', small);
  assert.ok(Buffer.isBuffer(backSmall));
  assert.deepEqual(backSmall, small);

  const large = Buffer.alloc(300_000);
  for (let i = 0; i < large.length; i++) large[i] = (i * 31) % 251;
  const info = await saveValue(dir, 'large', large, context());
  assert.equal(info.kind, 'buffer');
  assert.ok(info.bytes >= large.length);
  assert.equal((await stat(join(dir, 'large.0.bin'))).size, large.length);
  const backLarge = await loadValue(dir, 'large', context());
  assert.ok(Buffer.isBuffer(backLarge));
  assert.ok(large.equals(backLarge as Buffer));
});

test('typed arrays, DataView and ArrayBuffers keep type, bytes, offsets and their buffer', async t => {
  const dir = await tempDir(t);
  const backing = new ArrayBuffer(64);
  const view = new Float32Array(backing, 8, 4);
  view.set([1.5, -2, 3.25, 4]);
  const value = {
    f32: view,
    i16: Int16Array.from([-1, 2, -3]),
    u8c: Uint8ClampedArray.from([0, 255]),
    f64: new Float64Array(20_000).map((_, i) => i / 3), // 160 KB: goes to a blob
    big64: BigInt64Array.from([-(2n ** 63n), 2n ** 62n]),
    dv: new DataView(new Uint8Array([1, 2, 3, 4]).buffer),
    ab: new Uint8Array([9, 8, 7]).buffer,
    largeAb: new ArrayBuffer(100_000)
  };
  const back = (await roundTrip(dir, 'arrays', value)) as typeof value;
  assert.ok(back.f32 instanceof Float32Array);
  assert.deepEqual([...back.f32], [1.5, -2, 3.25, 4]);
  assert.equal(back.f32.byteOffset, 8); // the view's whole buffer travels, as the view sees it
  assert.equal(back.f32.buffer.byteLength, 64);
  assert.ok(back.i16 instanceof Int16Array);
  assert.deepEqual([...back.i16], [-1, 2, -3]);
  assert.ok(back.u8c instanceof Uint8ClampedArray);
  assert.ok(back.f64 instanceof Float64Array);
  assert.equal(back.f64.length, 20_000);
  assert.equal(back.f64[2999], 2999 / 3);
  assert.deepEqual([...back.big64], [-(2n ** 63n), 2n ** 62n]);
  assert.ok(back.dv instanceof DataView);
  assert.equal(back.dv.getUint32(0), 0x01020304);
  assert.ok(back.ab instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(back.ab)], [9, 8, 7]);
  assert.equal(back.largeAb.byteLength, 100_000);
  assert.deepEqual(await filesIn(dir), ['arrays.0.bin', 'arrays.1.bin', 'arrays.json', 'arrays.v8']);
});

test('instances of classes from functions cells keep their prototype', async t => {
  const dir = await tempDir(t);
  class Scaler {
    constructor(
      public mean: number,
      public std: number,
      public inner?: Scaler
    ) {}
    apply(x: number): number {
      return (x - this.mean) / this.std;
    }
    get scale(): number {
      return this.std;
    }
  }
  class Registry extends Map<string, Scaler> {
    lookup(name: string): Scaler | undefined {
      return this.get(name);
    }
  }
  class StepFailed extends Error {
    constructor(
      message: string,
      public code: number
    ) {
      super(message);
    }
  }
  const scaler = new Scaler(10, 2, new Scaler(0, 1));
  const registry = new Registry([['x', scaler]]);
  const value = {
    scaler,
    registry,
    failure: new StepFailed('boom', 7),
    kind: Scaler
  };
  const classes = { Scaler, Registry, StepFailed };

  const info = await saveValue(dir, 'model', scaler, context(classes));
  assert.equal(info.kind, 'instance');
  const back = (await roundTrip(dir, 'state', value, classes)) as typeof value;
  assert.ok(back.scaler instanceof Scaler);
  assert.equal(back.scaler.apply(14), 2);
  assert.equal(back.scaler.scale, 2);
  assert.ok(back.scaler.inner instanceof Scaler);
  assert.equal(back.scaler.inner.apply(5), 5);
  assert.ok(back.registry instanceof Registry);
  assert.ok(back.registry instanceof Map);
  assert.equal(back.registry.lookup('x'), back.scaler); // shared reference kept
  assert.ok(back.failure instanceof StepFailed);
  assert.ok(back.failure instanceof Error);
  assert.equal(back.failure.message, 'boom');
  assert.equal(back.failure.code, 7);
  assert.equal(back.kind, Scaler);
});

test("instances load with the consuming step's own class of the same name", async t => {
  const dir = await tempDir(t);
  // Each step process re-runs the functions cells, so the class object differs.
  const Producer = class Point {
    constructor(
      public x: number,
      public y: number
    ) {}
  };
  const Consumer = class Point {
    x = 0;
    y = 0;
    norm(): number {
      return Math.hypot(this.x, this.y);
    }
  };
  await saveValue(dir, 'p', new Producer(3, 4), context({ Point: Producer }));
  const back = (await loadValue(dir, 'p', context({ Point: Consumer }))) as InstanceType<typeof Consumer>;
  assert.ok(back instanceof Consumer);
  assert.equal(back.norm(), 5);
});

test('loading an instance whose class is not defined names the class and the fix', async t => {
  const dir = await tempDir(t);
  class Vocab {
    words = ['a'];
  }
  await saveValue(dir, 'data', { vocab: new Vocab() }, context({ Vocab }));
  await assert.rejects(
    loadValue(dir, 'data', {
      step: 'prepare',
      consumers: ['train'],
      classes: {}
    }),
    (error: unknown) => {
      assert.ok(error instanceof ValueLoadError);
      assert.equal(error.variable, 'data');
      assert.equal(error.step, 'prepare');
      assert.deepEqual(error.consumers, ['train']);
      assert.match(error.message, /^Cannot load `data` from step `prepare` into step `train`: /);
      assert.match(error.message, /`data\.vocab` is an instance of class `Vocab`/);
      assert.match(error.message, /define class `Vocab` in a cell tagged `functions`/);
      return true;
    }
  );
});

test('native errors keep type, message, stack, cause and extra fields', async t => {
  const dir = await tempDir(t);
  const error = Object.assign(new RangeError('out of range', { cause: new Error('root') }), { code: 'E_RANGE' });
  const back = (await roundTrip(dir, 'err', {
    error,
    buf: Buffer.alloc(1)
  })) as { error: RangeError };
  assert.ok(back.error instanceof RangeError);
  assert.equal(back.error.message, 'out of range');
  assert.equal(back.error.stack, error.stack);
  assert.equal((back.error.cause as Error).message, 'root');
  assert.equal((back.error as unknown as { code: string }).code, 'E_RANGE');
});

test('odd keys and sparse arrays: the marker key, __proto__, holes', async t => {
  const dir = await tempDir(t);
  const tricky = JSON.parse('{"__proto__": {"polluted": true}, "\\u0000cellflow": "tensor"}') as object;
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const back = (await roundTrip(dir, 'odd', {
    tricky,
    sparse,
    buf: Buffer.from('z')
  })) as {
    tricky: Record<string, unknown>;
    sparse: unknown[];
  };
  assert.deepEqual(Object.keys(back.tricky), ['__proto__', '\u0000cellflow']);
  assert.equal(Object.getPrototypeOf(back.tricky), Object.prototype);
  assert.deepEqual(back.tricky['__proto__'], { polluted: true });
  assert.equal(back.tricky['\u0000cellflow'], 'tensor');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(back.sparse.length, 3);
  assert.ok(!(1 in back.sparse));
  assert.equal(back.sparse[2], 3);
});

test('the manifest lists every file with its size', async t => {
  const dir = await tempDir(t);
  const info = await saveValue(dir, 'blob', { a: new Float32Array(50_000), b: 'text' }, context());
  const manifest = JSON.parse(await readFile(join(dir, 'blob.json'), 'utf8')) as ValueManifest;
  assert.equal(manifest.format, 'cellflow-value');
  assert.equal(manifest.version, 2);
  assert.deepEqual(manifest.names, ['blob']);
  assert.equal(manifest.step, 'prepare');
  assert.equal(manifest.encoding, 'marked');
  assert.equal(manifest.needsTf, false);
  assert.deepEqual(manifest.data, {
    file: 'blob.v8',
    bytes: (await stat(join(dir, 'blob.v8'))).size
  });
  assert.equal(manifest.blobs.length, 1);
  assert.equal(manifest.blobs[0]!.file, 'blob.0.bin');
  assert.equal(manifest.blobs[0]!.bytes, 200_000);
  assert.match(manifest.blobs[0]!.what, /ArrayBuffer at blob\.a\.buffer/);
  const manifestSize = (await stat(join(dir, 'blob.json'))).size;
  assert.equal(info.bytes, manifest.data.bytes + 200_000 + manifestSize);
});

test('saving again replaces the value and removes its stale files', async t => {
  const dir = await tempDir(t);
  await saveValue(dir, 'x', [new Float64Array(10_000), new Float64Array(10_000)], context());
  assert.deepEqual(await filesIn(dir), ['x.0.bin', 'x.1.bin', 'x.json', 'x.v8']);
  await writeFile(join(dir, '.x.999.deadbeef.tmp'), 'left by a killed save');
  await writeFile(join(dir, 'xy.0.bin'), 'another value: keep');
  await saveValue(dir, 'x', { small: true }, context());
  assert.deepEqual(await filesIn(dir), ['x.json', 'x.v8', 'xy.0.bin']);
  assert.deepEqual(await loadValue(dir, 'x', context()), { small: true });
});

test('a value whose save did not finish is never loaded', async t => {
  const dir = await tempDir(t);
  await saveValue(dir, 'w', { w: new Float32Array(40_000) }, context());

  // Killed before the manifest was renamed into place: no value.
  await unlink(join(dir, 'w.json'));
  await assert.rejects(loadValue(dir, 'w', context()), (error: unknown) => {
    assert.ok(error instanceof ValueLoadError);
    assert.match(error.message, /no saved value/);
    assert.match(error.message, /step `prepare` has not finished, or did not save `w`/);
    return true;
  });

  // A data file that does not match the manifest: refused, not misread.
  await saveValue(dir, 'w', { w: new Float32Array(40_000) }, context());
  await truncate(join(dir, 'w.0.bin'), 1000);
  await assert.rejects(loadValue(dir, 'w', context()), (error: unknown) => {
    assert.ok(error instanceof ValueLoadError);
    assert.match(error.message, /w\.0\.bin is missing or not 160000 bytes long/);
    assert.match(error.message, /re-run step `prepare`/);
    return true;
  });

  // Longer than the manifest says (another save's blob): refused too.
  await saveValue(dir, 'w', { w: new Float32Array(40_000) }, context());
  await writeFile(join(dir, 'w.0.bin'), Buffer.alloc(160_004));
  await assert.rejects(loadValue(dir, 'w', context()), /w\.0\.bin is missing or not 160000 bytes long/);
});

test('a manifest from a newer format is refused', async t => {
  const dir = await tempDir(t);
  await saveValue(dir, 'v', 1, context());
  const file = join(dir, 'v.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as ValueManifest;
  await writeFile(file, JSON.stringify({ ...manifest, version: 99 }));
  await assert.rejects(loadValue(dir, 'v', context()), /format 99 by a newer cellflow/);
});

test('names that are not variable names are refused', async t => {
  const dir = await tempDir(t);
  await assert.rejects(saveValue(dir, '../escape', 1, context()), TypeError);
  await assert.rejects(saveValue(dir, 'a.b', 1, context()), TypeError);
  assert.equal((await saveValue(dir, 'données', 1, context())).name, 'données');
  assert.equal(await loadValue(dir, 'données', context()), 1);
});
