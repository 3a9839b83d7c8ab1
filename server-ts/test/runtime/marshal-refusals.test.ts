/** Every refusal: a MarshalError naming the variable, the path, the steps, and a fix fitting the kind. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { MarshalError, saveValues } from '../../src/runtime/index.js';
import type { NotebookClass } from '../../src/runtime/notebook-class.js';
import { filesIn, tempDir } from './helpers.js';

class Secretive {
  #token = 'x';
  reveal(): string {
    return this.#token;
  }
}
class WithPrivateMethod {
  #helper(): number {
    return 1;
  }
  run(): number {
    return this.#helper();
  }
}
class HashInString {
  colour = '#ff0000'; // a `#` in a string is not a private field
}
class ChildOfSecretive extends Secretive {}

const classes: Record<string, NotebookClass> = { Secretive, WithPrivateMethod, HashInString, ChildOfSecretive };

async function refused(
  value: unknown,
  expected: { path: string; what: RegExp; hint: RegExp },
  t: { after(fn: () => unknown): void }
): Promise<void> {
  const dir = await tempDir(t as never);
  await assert.rejects(
    saveValues(dir, { v: value }, { step: 'prepare', consumers: { v: ['train', 'eval'] }, classes, functions: {} }),
    (error: unknown) => {
      assert.ok(error instanceof MarshalError, `expected MarshalError, got ${String(error)}`);
      assert.equal(error.variable, 'v');
      assert.equal(error.step, 'prepare');
      assert.deepEqual(error.consumers, ['train', 'eval']);
      assert.equal(error.path, expected.path);
      assert.ok(error.message.startsWith('Cannot hand on `v` from step `prepare` to steps `train`, `eval`: '));
      assert.ok(error.message.includes(`\`${expected.path}\` is `), error.message);
      assert.match(error.what, expected.what);
      assert.match(error.hint, expected.hint);
      return true;
    }
  );
  assert.deepEqual(await filesIn(dir), []);
}

test('accessor properties on plain objects, instances and arrays are refused, not frozen into data', async t => {
  const getter = {
    get now() {
      return Date.now();
    }
  };
  await refused({ cfg: getter }, { path: 'v.cfg.now', what: /getter\/setter/, hint: /make it a data property/ }, t);
  const setterOnly = {};
  Object.defineProperty(setterOnly, 'x', { set() {}, enumerable: true });
  await refused(setterOnly, { path: 'v.x', what: /getter\/setter/, hint: /data property/ }, t);
  const array = [1, 2];
  Object.defineProperty(array, 1, { get: () => 2 });
  await refused(array, { path: 'v[1]', what: /getter\/setter/, hint: /data property/ }, t);
  await refused(
    {
      [Symbol.for('k')]: 1,
      get [Symbol.for('g')]() {
        return 1;
      }
    },
    { path: 'v[Symbol.for("g")]', what: /getter\/setter/, hint: /data property/ },
    t
  );
});

test('instances of classes with #private fields or methods are refused; a # in a string is fine', async t => {
  await refused(
    new Secretive(),
    { path: 'v', what: /`Secretive`, which has #private/, hint: /ordinary properties/ },
    t
  );
  await refused({ x: new WithPrivateMethod() }, { path: 'v.x', what: /#private/, hint: /_x/ }, t);
  await refused(new ChildOfSecretive(), { path: 'v', what: /`Secretive`, which has #private/, hint: /ordinary/ }, t);
  const dir = await tempDir(t);
  await saveValues(dir, { ok: new HashInString() }, { step: 's', consumers: {}, classes });
});

test('functions: closures, bound, built-in, generator functions', async t => {
  const offset = 3;
  await refused({ f: (x: number) => x + offset }, { path: 'v.f', what: /a function \(`f`\)/, hint: /functions/ }, t);
  await refused([function named() {}.bind(null)], { path: 'v[0]', what: /a bound function/, hint: /bind it again/ }, t);
  await refused({ max: Math.max }, { path: 'v.max', what: /a built-in function \(`max`\)/, hint: /look it up/ }, t);
  await refused(
    function* gen() {
      yield 1;
    },
    { path: 'v', what: /a generator function/, hint: /functions/ },
    t
  );
});

test('unique symbols, as values and as keys', async t => {
  await refused(
    { tag: Symbol('tag') },
    { path: 'v.tag', what: /a unique Symbol \(Symbol\(tag\)\)/, hint: /Symbol\.for\("tag"\)/ },
    t
  );
  const key = Symbol('private key');
  await refused(
    { [key]: 1 },
    { path: 'v[Symbol(private key)]', what: /a unique Symbol/, hint: /registered symbol/ },
    t
  );
});

test('generators, iterators, promises and weak collections', async t => {
  function* counter(): Generator<number> {
    yield 1;
  }
  await refused({ g: counter() }, { path: 'v.g', what: /a generator object/, hint: /\[\.\.\.gen\]/ }, t);
  await refused(new Map([[1, 2]]).entries(), { path: 'v', what: /an iterator/, hint: /\[\.\.\.it\]/ }, t);
  await refused([1].values(), { path: 'v', what: /an iterator/, hint: /collect it/ }, t);
  await refused({ p: Promise.resolve(1) }, { path: 'v.p', what: /a Promise/, hint: /await it/ }, t);
  await refused(new WeakSet(), { path: 'v', what: /a WeakSet/, hint: /Map\/Set/ }, t);
  await refused({ r: new WeakRef({}) }, { path: 'v.r', what: /a WeakRef/, hint: /rebuild the WeakRef/ }, t);
  await refused(new FinalizationRegistry(() => {}), { path: 'v', what: /a FinalizationRegistry/, hint: /rebuild/ }, t);
});

test('streams, emitters, open files, module namespaces, arguments, proxies', async t => {
  const stream = Readable.from(['a']);
  t.after(() => stream.destroy());
  await refused({ s: stream }, { path: 'v.s', what: /a stream/, hint: /recreate the socket\/stream/ }, t);
  await refused(new EventEmitter(), { path: 'v', what: /an event emitter/, hint: /recreate it/ }, t);
  const file = await open(join(tmpdir(), `cellflow-fh-${process.pid}`), 'w');
  t.after(() => file.close());
  await refused({ file }, { path: 'v.file', what: /an open file \(FileHandle\)/, hint: /path/ }, t);
  const namespace = await import('node:path');
  await refused(
    { namespace },
    { path: 'v.namespace', what: /a module namespace object/, hint: /import the module again/ },
    t
  );
  const args = (function (..._: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  })(1, 2);
  await refused(args, { path: 'v', what: /an `arguments` object/, hint: /Array\.from/ }, t);
  await refused({ p: new Proxy({}, {}) }, { path: 'v.p', what: /a Proxy/, hint: /the object it wraps/ }, t);
  await refused(new Proxy([1, 2], {}), { path: 'v', what: /a Proxy/, hint: /the object it wraps/ }, t);
});

test('built-in and unregistered class instances get a fix that fits them', async t => {
  await refused(
    { nf: new Intl.NumberFormat('en') },
    {
      path: 'v.nf',
      what: /built-in class `NumberFormat`/,
      hint: /^recreate it in the step that uses it, or hand on its data$/
    },
    t
  );
  class Local {
    n = 1;
  }
  await refused(
    [new Local()],
    {
      path: 'v[0]',
      what: /class `Local`, which no cell tagged `functions` defines/,
      hint: /move it into a cell tagged `functions`/
    },
    t
  );
  await refused(
    new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(8, { maxByteLength: 16 }),
    { path: 'v', what: /a resizable ArrayBuffer/, hint: /slice/ },
    t
  );
});
