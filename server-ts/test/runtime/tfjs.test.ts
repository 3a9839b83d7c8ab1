import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { loadTf, tfCandidates, tfFlavour } from '../../src/runtime/index.js';
import { loadFirstTf, type TfCandidate } from '../../src/runtime/tfjs.js';
import { runtimeGlobals } from '../../src/runtime/own-globals.js';

const run = promisify(execFile);
const runtimeUrl = new URL('../../src/runtime/index.js', import.meta.url).href;

const fakeTf = {
  tensor: () => 'tensor',
  loadLayersModel: () => 'model',
  ready: async () => undefined
};

test('tfjs flavours are tried fastest first', () => {
  assert.deepEqual(
    tfCandidates.map(c => c.specifier),
    ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs']
  );
});

test('a flavour that fails to load, or is not tfjs, is skipped', async () => {
  const tried: string[] = [];
  const candidates: TfCandidate[] = [
    { flavour: 'tfjs-node-gpu', specifier: 'gpu' },
    { flavour: 'tfjs-node', specifier: 'node' },
    { flavour: 'tfjs', specifier: 'pure' }
  ];
  const found = await loadFirstTf(candidates, async specifier => {
    tried.push(specifier);
    if (specifier === 'gpu') throw new Error('libtensorflow.so: cannot open shared object file');
    if (specifier === 'node') return { default: {} }; // installed, but broken
    return { default: fakeTf }; // CommonJS API under `default`
  });
  assert.deepEqual(tried, ['gpu', 'node', 'pure']);
  assert.equal(found.flavour, 'tfjs');
  assert.equal(found.tf as unknown, fakeTf);
});

test('the first flavour that loads wins', async () => {
  const tried: string[] = [];
  const found = await loadFirstTf(tfCandidates, async specifier => {
    tried.push(specifier);
    return fakeTf;
  });
  assert.equal(found.flavour, 'tfjs-node-gpu');
  assert.deepEqual(tried, ['@tensorflow/tfjs-node-gpu']);
});

test('when nothing loads, the error lists every attempt', async () => {
  await assert.rejects(
    loadFirstTf(tfCandidates, async specifier => {
      throw new Error(`Cannot find package '${specifier}'\nmore detail`);
    }),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      for (const { specifier } of tfCandidates) assert.ok(error.message.includes(`${specifier}: Cannot find package`));
      assert.ok(!error.message.includes('more detail'));
      return true;
    }
  );
});

test('loadTf loads a working tfjs once and reports its flavour', async () => {
  const [first, second] = await Promise.all([loadTf(), loadTf()]);
  assert.equal(first, second);
  assert.ok(tfCandidates.some(c => c.flavour === tfFlavour()));
  assert.deepEqual(first.add(first.tensor1d([1, 2]), 1).arraySync(), [2, 3]);
});

test('a step that hands on no tensors never loads tfjs', async () => {
  const script = `
    import { mkdtemp, rm } from 'node:fs/promises';
    import { createRequire } from 'node:module';
    import { tmpdir } from 'node:os';
    import { join } from 'node:path';
    const rt = await import(${JSON.stringify(runtimeUrl)});
    const dir = await mkdtemp(join(tmpdir(), 'cellflow-lazy-'));
    const ctx = { step: 'a', consumers: ['b'], classes: {} };
    const value = { rows: [1, 2], buf: Buffer.alloc(100000), m: new Map([['k', new Float32Array(3)]]) };
    await rt.saveValue(dir, 'x', value, ctx);
    const back = await rt.loadValue(dir, 'x', ctx);
    await rm(dir, { recursive: true });
    const require = createRequire(import.meta.url);
    const tfModules = Object.keys(require.cache).filter(k => k.includes('@tensorflow')).length;
    console.log(JSON.stringify({ flavour: rt.tfFlavour() ?? null, engine: '_tfengine' in globalThis, tfModules, ok: back.buf.length }));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  assert.deepEqual(JSON.parse(stdout), {
    flavour: null,
    engine: false,
    tfModules: 0,
    ok: 100000
  });
});

test('globals a backend defines (google-protobuf’s `proto`), even one that then fails, are the runtime’s', async () => {
  const g = globalThis as Record<string, unknown>;
  const found = await loadFirstTf(tfCandidates, async specifier => {
    if (specifier === '@tensorflow/tfjs-node-gpu') {
      g.cellflowTestProto = {}; // what tfjs-node's dependencies do before its native binding fails (kept: see own-globals)
      throw new Error('libtensorflow.so: cannot open shared object file');
    }
    if (specifier === '@tensorflow/tfjs-node') throw new Error('not installed');
    g.cellflowTestLoaded = {}; // a backend that loads keeps its globals, as the runtime's own
    return fakeTf;
  });
  assert.equal(found.flavour, 'tfjs');
  assert.ok(runtimeGlobals.has('cellflowTestProto'), 'the plan check does not count it as the step’s change');
  assert.ok(runtimeGlobals.has('cellflowTestLoaded'));
  delete g.cellflowTestProto;
  delete g.cellflowTestLoaded;
});
