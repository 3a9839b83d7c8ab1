import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { loadValue, MarshalError, saveValue } from '../../src/runtime/index.js';
import { context, filesIn, tempDir } from './helpers.js';

interface Expected {
  path: string;
  what: RegExp;
  hint: RegExp;
}

/** Saving must fail with a MarshalError that says all of it, and write nothing. */
async function assertRefused(dir: string, name: string, value: unknown, expected: Expected): Promise<void> {
  await assert.rejects(saveValue(dir, name, value, context()), (error: unknown) => {
    assert.ok(error instanceof MarshalError, `expected MarshalError, got ${String(error)}`);
    assert.equal(error.variable, name);
    assert.equal(error.step, 'prepare');
    assert.deepEqual(error.consumers, ['train', 'evaluate']);
    assert.equal(error.path, expected.path);
    const message = error.message;
    assert.ok(message.includes(`\`${name}\``), message);
    assert.ok(message.includes(`\`${expected.path}\``), message);
    assert.ok(message.includes('step `prepare`'), message);
    assert.ok(message.includes('steps `train`, `evaluate`'), message);
    assert.match(message, expected.what);
    assert.match(message, expected.hint);
    return true;
  });
  assert.deepEqual(await filesIn(dir), [], 'a refused value leaves no file behind');
}

const functionsHint = /define the function\/class in a cell tagged `functions` so every step can rebuild it/;
const recreateHint = /recreate the socket\/stream in the step that uses it, or hand on plain data/;

test('a closure is refused with the functions-cell hint', async t => {
  const dir = await tempDir(t);
  let calls = 0;
  const onBatch = (): number => ++calls;
  await assertRefused(dir, 'onBatch', onBatch, {
    path: 'onBatch',
    what: /is a function \(`onBatch`\)/,
    hint: functionsHint
  });
});

test('a function nested in a config names its path', async t => {
  const dir = await tempDir(t);
  const cfg = { lr: 0.1, cb: () => undefined };
  await assertRefused(dir, 'cfg', { cfg }, { path: 'cfg.cfg.cb', what: /is a function/, hint: functionsHint });
  await assertRefused(dir, 'cfg', cfg, {
    path: 'cfg.cb',
    what: /is a function \(`cb`\)/,
    hint: functionsHint
  });
});

test('paths through arrays, Maps, Sets and odd keys', async t => {
  const dir = await tempDir(t);
  const fn = function (): void {};
  await assertRefused(dir, 'rows', [{ a: 1 }, { a: 2 }, { a: 3 }, fn], {
    path: 'rows[3]',
    what: /is a function/,
    hint: functionsHint
  });
  await assertRefused(
    dir,
    'meta',
    new Map<string, unknown>([
      ['lr', 1],
      ['on', fn]
    ]),
    {
      path: 'meta.get("on")',
      what: /is a function/,
      hint: functionsHint
    }
  );
  await assertRefused(dir, 'tags', new Set([1, Symbol('x')]), {
    path: 'tags.values()[1]',
    what: /is a unique Symbol \(Symbol\(x\)\)/,
    hint: /use a registered symbol \(`Symbol\.for\("x"\)`\) or a string instead/
  });
  await assertRefused(
    dir,
    'o',
    { 'my key': [0, { fn }] },
    {
      path: 'o["my key"][1].fn',
      what: /is a function/,
      hint: functionsHint
    }
  );
});

test('a socket is refused with the recreate hint', async t => {
  const dir = await tempDir(t);
  const socket = new Socket();
  t.after(() => socket.destroy());
  await assertRefused(
    dir,
    'conn',
    { db: { socket } },
    {
      path: 'conn.db.socket',
      what: /is a network socket \(Socket\)/,
      hint: recreateHint
    }
  );
});

test('a stream is refused with the recreate hint', async t => {
  const dir = await tempDir(t);
  const stream = new PassThrough();
  t.after(() => stream.destroy());
  await assertRefused(dir, 'input', stream, {
    path: 'input',
    what: /is a stream \(PassThrough\)/,
    hint: recreateHint
  });
});

test('an event emitter, a Promise and a WeakMap are refused', async t => {
  const dir = await tempDir(t);
  await assertRefused(dir, 'bus', new EventEmitter(), {
    path: 'bus',
    what: /is an event emitter \(EventEmitter\)/,
    hint: /recreate it in the step that uses it/
  });
  await assertRefused(
    dir,
    'pending',
    { result: Promise.resolve(1) },
    {
      path: 'pending.result',
      what: /is a Promise/,
      hint: /await it in the step/
    }
  );
  await assertRefused(dir, 'cache', [new WeakMap()], {
    path: 'cache[0]',
    what: /is a WeakMap/,
    hint: /use a Map\/Set instead/
  });
});

test('an instance of a class no functions cell defines is refused', async t => {
  const dir = await tempDir(t);
  class Tokenizer {
    vocab = ['a', 'b'];
  }
  await assertRefused(
    dir,
    'prep',
    { tokenizer: new Tokenizer() },
    {
      path: 'prep.tokenizer',
      what: /is an instance of class `Tokenizer`, which no cell tagged `functions` defines/,
      hint: /move it into a cell tagged `functions` so every step can rebuild it; if it comes from a package, recreate/
    }
  );
  await assertRefused(dir, 'cls', Tokenizer, {
    path: 'cls',
    what: /is a class \(`Tokenizer`\) that no cell tagged `functions` defines/,
    hint: functionsHint
  });
});

test('a registered class instance holding a closure names the field', async t => {
  const dir = await tempDir(t);
  class Job {
    run = (): void => {};
  }
  await assert.rejects(saveValue(dir, 'job', new Job(), context({ Job })), (error: unknown) => {
    assert.ok(error instanceof MarshalError);
    assert.equal(error.path, 'job.run');
    return true;
  });
  assert.deepEqual(await filesIn(dir), []);
});

test('a refused save keeps the value saved before', async t => {
  const dir = await tempDir(t);
  await saveValue(dir, 'state', { version: 1, data: new Float32Array(30_000) }, context());
  const before = await filesIn(dir);
  await assert.rejects(saveValue(dir, 'state', { version: 2, cb: () => 2 }, context()), MarshalError);
  assert.deepEqual(await filesIn(dir), before);
  const back = (await loadValue(dir, 'state', context())) as {
    version: number;
    data: Float32Array;
  };
  assert.equal(back.version, 1);
  assert.equal(back.data.length, 30_000);
});

test('no consumers: the message still reads well', async t => {
  const dir = await tempDir(t);
  await assert.rejects(
    saveValue(dir, 'f', () => 1, { step: 'a', consumers: [], classes: {} }),
    /Cannot hand on `f` from step `a` to the steps that read it: `f` is an anonymous function\./
  );
});
