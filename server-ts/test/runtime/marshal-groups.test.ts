/** saveValues / loadValues / savedValueNames: values that share objects travel together. */
import assert from 'node:assert/strict';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  loadValue,
  loadValues,
  MarshalError,
  savedValueNames,
  saveValue,
  saveValues,
  ValueLoadError,
  type ValueManifest
} from '../../src/runtime/index.js';
import { context, filesIn, tempDir } from './helpers.js';

const save = { step: 'prepare', consumers: { a: ['train'], b: ['train', 'eval'], c: ['eval'], d: [] }, classes: {} };
const load = { step: 'prepare', consumer: 'train', classes: {} };

test('values that share objects form one group; unrelated ones their own', async t => {
  const dir = await tempDir(t);
  const shared = { n: 1 };
  const a = { shared, big: new Float32Array(100_000) };
  const b = [shared];
  const c = { alone: true };
  const infos = await saveValues(dir, { a, b, c }, save);
  assert.deepEqual(
    infos.map(i => [i.name, i.group]),
    [
      ['a', ['a', 'b']],
      ['b', ['a', 'b']],
      ['c', ['c']]
    ]
  );
  assert.deepEqual(await filesIn(dir), ['a.0.bin', 'a.json', 'a.v8', 'c.json', 'c.v8']);
  assert.deepEqual(savedValueNames(dir), { names: ['a', 'b', 'c'], groups: [['a', 'b'], ['c']] });

  // Asking for b loads its group: a comes too, identity intact; c is not read.
  const back = await loadValues(dir, ['b'], load);
  assert.deepEqual(Object.keys(back).sort(), ['a', 'b']);
  assert.equal((back.b as unknown[])[0], (back.a as typeof a).shared);
  const onlyC = await loadValues(dir, ['c'], load);
  assert.deepEqual(onlyC, { c: { alone: true } });
});

test('the same object under two names, Map keys that are variables, views of one buffer across values', async t => {
  const dir = await tempDir(t);
  const key = { k: 1 };
  const index = new Map([[key, 'value']]);
  const buffer = new ArrayBuffer(1024);
  const head = new Uint8Array(buffer, 0, 16);
  const tail = new Float64Array(buffer, 512);
  const back = await (async () => {
    await saveValues(dir, { key, index, alias: key, head, tail }, { ...save, consumers: {} });
    return loadValues(dir, ['key', 'head'], load);
  })();
  assert.equal(back.alias, back.key);
  assert.equal((back.index as Map<unknown, unknown>).get(back.key), 'value');
  assert.equal((back.head as Uint8Array).buffer, (back.tail as Float64Array).buffer);
  assert.equal((back.tail as Float64Array).byteOffset, 512);
  assert.deepEqual(savedValueNames(dir).groups, [
    ['alias', 'index', 'key'],
    ['head', 'tail']
  ]);
});

test('cycles through several values', async t => {
  const dir = await tempDir(t);
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = { a };
  a.b = b;
  const back = await (async () => {
    await saveValues(dir, { a, b }, save);
    return loadValues(dir, ['a'], load);
  })();
  assert.equal((back.a as typeof a).b, back.b);
  assert.equal((back.b as typeof b).a, back.a);
});

test('a refusal names the variable whose walk reached it, its consumers, and writes nothing', async t => {
  const dir = await tempDir(t);
  await assert.rejects(saveValues(dir, { a: { ok: 1 }, b: { cb: () => 1 } }, save), (error: unknown) => {
    assert.ok(error instanceof MarshalError);
    assert.equal(error.variable, 'b');
    assert.equal(error.path, 'b.cb');
    assert.deepEqual(error.consumers, ['train', 'eval']);
    assert.match(
      error.message,
      /^Cannot hand on `b` from step `prepare` to steps `train`, `eval`: `b\.cb` is a function/
    );
    return true;
  });
  assert.deepEqual(await filesIn(dir), []);
});

test('saving again replaces the groups that held those names, and leaves others alone', async t => {
  const dir = await tempDir(t);
  const shared = {};
  await saveValues(dir, { a: { shared }, b: { shared }, d: 4 }, save);
  assert.deepEqual(savedValueNames(dir).groups, [['a', 'b'], ['d']]);
  await saveValues(dir, { b: 'new b', c: 'c' }, save);
  // The old group [a, b] is replaced whole (a is gone with it); d is untouched.
  assert.deepEqual(savedValueNames(dir), { names: ['b', 'c', 'd'], groups: [['b'], ['c'], ['d']] });
  assert.deepEqual(await filesIn(dir), ['b.json', 'b.v8', 'c.json', 'c.v8', 'd.json', 'd.v8']);
  assert.deepEqual(await loadValues(dir, ['b', 'd'], load), { b: 'new b', d: 4 });
  await assert.rejects(loadValues(dir, ['a'], load), /no saved value .*did not save `a`/);
});

test('a group whose files were damaged names the file and the step to re-run', async t => {
  const dir = await tempDir(t);
  const shared = {};
  await saveValues(dir, { x: { shared, data: new Float64Array(20_000) }, y: shared }, save);
  await writeFile(join(dir, 'x.0.bin'), 'short');
  await assert.rejects(loadValues(dir, ['y'], load), (error: unknown) => {
    assert.ok(error instanceof ValueLoadError);
    assert.equal(error.file, join(dir, 'x.0.bin'));
    assert.match(error.message, /^Cannot load `y` from step `prepare` into step `train`: x\.0\.bin is missing/);
    assert.match(error.message, /re-run step `prepare`/);
    return true;
  });
  await unlink(join(dir, 'x.json'));
  await assert.rejects(loadValues(dir, ['y'], load), /no saved value/);
  assert.deepEqual(savedValueNames(dir), { names: [], groups: [] });
});

test('a killed save leaves the old set loadable; leftovers are cleaned up by the next save', async t => {
  const dir = await tempDir(t);
  await saveValues(dir, { m: [1, 2, 3] }, save);
  await writeFile(join(dir, '.m.12345.abcdef.tmp'), 'half written');
  assert.deepEqual(await loadValues(dir, ['m'], load), { m: [1, 2, 3] });
  await saveValues(dir, { m: [4] }, save);
  assert.deepEqual(await filesIn(dir), ['m.json', 'm.v8']);
});

test('the manifest lists the names, kinds and what loading needs', async t => {
  const dir = await tempDir(t);
  class Vocab {
    words = ['a'];
  }
  await saveValues(dir, { vocab: new Vocab(), also: 1 }, { ...save, classes: { Vocab } });
  const manifest = JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')) as ValueManifest;
  assert.equal(manifest.version, 2);
  assert.deepEqual(manifest.names, ['vocab']);
  assert.deepEqual(manifest.kinds, { vocab: 'instance' });
  assert.deepEqual(manifest.requires, [{ registry: 'class', name: 'Vocab', path: 'vocab', instance: true }]);
  await assert.rejects(loadValues(dir, ['vocab'], load), /`vocab` is an instance of class `Vocab`, which no cell/);
});

test('saveValue and loadValue still work, as groups of one', async t => {
  const dir = await tempDir(t);
  const info = await saveValue(dir, 'single', { s: 1 }, context());
  assert.deepEqual(info.group, ['single']);
  assert.deepEqual(await loadValue(dir, 'single', context()), { s: 1 });
  assert.deepEqual(savedValueNames(dir).names, ['single']);
});
