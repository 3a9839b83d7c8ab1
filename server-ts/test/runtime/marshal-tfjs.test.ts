import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  loadTf,
  loadValue,
  loadValues,
  MarshalError,
  saveValue,
  saveValues,
  type ValueManifest
} from '../../src/runtime/index.js';
import { context, filesIn, tempDir } from './helpers.js';

const tf = await loadTf();
type Tensor = ReturnType<typeof tf.tensor>;
type LayersModel = Awaited<ReturnType<typeof tf.loadLayersModel>>;

function isTensor(value: unknown): value is Tensor {
  return value instanceof tf.Tensor;
}

test('tensors of every dtype round-trip with shape and data', async t => {
  const dir = await tempDir(t);
  const value = {
    f32: tf.tensor2d([
      [1.5, -2],
      [3e-8, 4e30]
    ]),
    i32: tf.tensor1d([1, -2, 2147483647], 'int32'),
    bool: tf.tensor([true, false, true], [3], 'bool'),
    complex: tf.complex([1, 2], [3, 4]),
    strings: tf.tensor(['héllo', '', 'wörld', 'x'], [2, 2], 'string'),
    scalar: tf.scalar(42),
    empty: tf.zeros([0, 3])
  };
  const info = await saveValue(dir, 'ts', value.f32, context());
  assert.equal(info.kind, 'tensor');
  const back = (await (async () => {
    await saveValue(dir, 'all', value, context());
    return loadValue(dir, 'all', context());
  })()) as typeof value;
  for (const [key, original] of Object.entries(value)) {
    const restored = back[key as keyof typeof value];
    assert.ok(isTensor(restored), key);
    assert.equal(restored.dtype, original.dtype, key);
    assert.deepEqual(restored.shape, original.shape, key);
    assert.deepEqual(await restored.data(), await original.data(), key);
  }
  assert.deepEqual(await tf.real(back.complex).data(), new Float32Array([1, 2]));
  assert.deepEqual(await tf.imag(back.complex).data(), new Float32Array([3, 4]));
  assert.deepEqual(back.strings.arraySync(), [
    ['héllo', ''],
    ['wörld', 'x']
  ]);
});

test('nested {xs, ys, meta: Map} with large tensors in blob files', async t => {
  const dir = await tempDir(t);
  const xs = tf.randomNormal([20_000, 8], 0, 1, 'float32', 7);
  const ys = tf.randomUniform([20_000], 0, 10, 'int32', 3);
  const meta = new Map<string, unknown>([
    ['features', ['a', 'b']],
    ['mean', tf.scalar(0.5)],
    ['created', new Date(0)]
  ]);
  const value = { xs, ys, meta, alias: xs };
  const info = await saveValue(dir, 'dataset', value, context());
  assert.equal(info.kind, 'data');
  assert.deepEqual(await filesIn(dir), ['dataset.0.bin', 'dataset.1.bin', 'dataset.json', 'dataset.v8']);
  const manifest = JSON.parse(await readFile(join(dir, 'dataset.json'), 'utf8')) as ValueManifest;
  assert.equal(manifest.needsTf, true);
  assert.deepEqual(
    manifest.blobs.map(b => [b.bytes, b.what]),
    [
      [20_000 * 8 * 4, 'float32 tensor [20000,8] at dataset.xs'],
      [20_000 * 4, 'int32 tensor [20000] at dataset.ys']
    ]
  );

  const back = (await loadValue(dir, 'dataset', context())) as typeof value;
  assert.deepEqual(back.xs.shape, [20_000, 8]);
  assert.deepEqual(await back.xs.data(), await xs.data());
  assert.equal(back.ys.dtype, 'int32');
  assert.deepEqual(await back.ys.data(), await ys.data());
  assert.equal(back.alias, back.xs);
  assert.ok(back.meta instanceof Map);
  assert.deepEqual(back.meta.get('features'), ['a', 'b']);
  assert.equal((back.meta.get('mean') as Tensor).arraySync(), 0.5);
  assert.ok(back.meta.get('created') instanceof Date);
});

test('tensors that share data (a reshape) store the bytes once', async t => {
  const dir = await tempDir(t);
  const flat = tf.range(0, 40_000, 1, 'float32');
  const square = flat.reshape([200, 200]);
  await saveValue(dir, 'pair', { flat, square }, context());
  const manifest = JSON.parse(await readFile(join(dir, 'pair.json'), 'utf8')) as ValueManifest;
  assert.equal(manifest.blobs.length, 1);
  const back = (await loadValue(dir, 'pair', context())) as {
    flat: Tensor;
    square: Tensor;
  };
  assert.deepEqual(back.square.shape, [200, 200]);
  assert.equal((back.square.arraySync() as number[][])[199]![199], 39_999);
  assert.equal((back.flat.arraySync() as number[])[12_345], 12_345);
});

test('a variable comes back as a variable', async t => {
  const dir = await tempDir(t);
  const weights = tf.variable(tf.tensor1d([1, 2, 3]), false);
  const back = (await (async () => {
    await saveValue(dir, 'weights', weights, context());
    return loadValue(dir, 'weights', context());
  })()) as typeof weights;
  assert.ok(back instanceof tf.Variable);
  assert.equal(back.trainable, false);
  back.assign(tf.tensor1d([4, 5, 6]));
  assert.deepEqual(back.arraySync(), [4, 5, 6]);
  assert.deepEqual(weights.arraySync(), [1, 2, 3]);
});

test('a disposed tensor is refused and nothing is written', async t => {
  const dir = await tempDir(t);
  const gone = tf.tensor1d([1, 2]);
  gone.dispose();
  await assert.rejects(saveValue(dir, 'batch', { xs: gone }, context()), (error: unknown) => {
    assert.ok(error instanceof MarshalError);
    assert.equal(error.path, 'batch.xs');
    assert.match(error.message, /`batch\.xs` is a disposed tensor/);
    assert.match(error.message, /keep the tensor alive until the step ends/);
    return true;
  });
  assert.deepEqual(await filesIn(dir), []);
});

function xorData(): { xs: Tensor; ys: Tensor } {
  return {
    xs: tf.tensor2d([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1]
    ]),
    ys: tf.tensor2d([[0], [1], [1], [0]])
  };
}

async function trainedModel(): Promise<LayersModel> {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' })
    ]
  });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
  const { xs, ys } = xorData();
  await model.fit(xs, ys, {
    epochs: 30,
    batchSize: 4,
    shuffle: false,
    verbose: 0
  });
  return model as unknown as LayersModel;
}

test('a trained layers model predicts identically after reload, and keeps training the same', async t => {
  const dir = await tempDir(t);
  const model = await trainedModel();
  const { xs, ys } = xorData();
  const info = await saveValue(dir, 'model', model, context());
  assert.equal(info.kind, 'model');
  assert.deepEqual(await filesIn(dir), ['model.0.bin', 'model.json', 'model.v8']);

  const loaded = (await loadValue(dir, 'model', context())) as LayersModel;
  assert.notEqual(loaded, model);
  const expected = (model.predict(xs) as Tensor).arraySync();
  assert.deepEqual((loaded.predict(xs) as Tensor).arraySync(), expected);

  // The optimizer state (Adam moments, iteration count, and accBeta1/accBeta2
  // as they were: tfjs alone would recompute them with pow()) travelled too,
  // so one more epoch moves both models bit-identically.
  const iterations = (m: LayersModel): unknown => (m.optimizer as unknown as { iterations: number }).iterations;
  assert.ok(loaded.optimizer, 'the loaded model is compiled');
  assert.equal(iterations(loaded), 30);
  assert.equal(iterations(loaded), iterations(model));
  await model.fit(xs, ys, {
    epochs: 1,
    batchSize: 4,
    shuffle: false,
    verbose: 0
  });
  await loaded.fit(xs, ys, {
    epochs: 1,
    batchSize: 4,
    shuffle: false,
    verbose: 0
  });
  const after = (model.predict(xs) as Tensor).dataSync();
  const afterLoaded = (loaded.predict(xs) as Tensor).dataSync();
  assert.ok(Math.abs(after[0]! - (expected as number[][])[0]![0]!) > 1e-4, 'the extra epoch changed the model');
  assert.deepEqual(afterLoaded, after);
});

test('a model nested with tensors, referenced twice, loads once', async t => {
  const dir = await tempDir(t);
  const model = await trainedModel();
  const { xs } = xorData();
  const state = { best: model, last: model, inputs: xs, history: [0.7, 0.3] };
  await saveValue(dir, 'state', state, context());
  const back = (await loadValue(dir, 'state', context())) as typeof state;
  assert.equal(back.best, back.last);
  assert.deepEqual((back.best.predict(back.inputs) as Tensor).arraySync(), (model.predict(xs) as Tensor).arraySync());
  assert.deepEqual(back.history, [0.7, 0.3]);
});

test('an uncompiled model travels without a training config', async t => {
  const dir = await tempDir(t);
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 2, useBias: false })]
  });
  const input = tf.tensor2d([[1, 2, 3]]);
  await saveValue(dir, 'raw', model, context());
  const loaded = (await loadValue(dir, 'raw', context())) as LayersModel;
  assert.equal(loaded.optimizer, undefined);
  assert.deepEqual((loaded.predict(input) as Tensor).arraySync(), (model.predict(input) as Tensor).arraySync());
});

test("Adam's accBeta1/accBeta2 come back bit-exactly", async t => {
  const dir = await tempDir(t);
  const model = await trainedModel();
  await saveValue(dir, 'model', model, context());
  const loaded = (await loadValue(dir, 'model', context())) as LayersModel;
  type Adam = { accBeta1: Tensor; accBeta2: Tensor };
  const original = model.optimizer as unknown as Adam;
  const restored = loaded.optimizer as unknown as Adam;
  assert.deepEqual(restored.accBeta1.dataSync(), original.accBeta1.dataSync());
  assert.deepEqual(restored.accBeta2.dataSync(), original.accBeta2.dataSync());
});

test("layers, the optimizer and weight variables reached through a model stay the loaded model's own", async t => {
  const dir = await tempDir(t);
  const model = await trainedModel();
  const layer = model.layers[0]!;
  const optimizer = model.optimizer;
  const kernel = model.layers[0]!.getWeights()[0]!;
  const loose = tf.variable(tf.tensor1d([1, 2]));
  const save = { step: 'prepare', consumers: {}, classes: {} };
  await saveValues(dir, { layer, parts: { optimizer, kernel, loose }, model }, save);
  const back = await loadValues(dir, ['layer'], { step: 'prepare', consumer: 'train', classes: {} });
  const loaded = back.model as LayersModel;
  assert.notEqual(loaded, model);
  assert.equal(back.layer, loaded.layers[0]);
  const parts = back.parts as { optimizer: unknown; kernel: Tensor; loose: Tensor };
  assert.equal(parts.optimizer, loaded.optimizer);
  assert.equal(parts.kernel, loaded.layers[0]!.getWeights()[0]);
  assert.ok(parts.loose instanceof tf.Variable);
  assert.deepEqual(parts.loose.arraySync(), [1, 2]);
});

test('a layer without its model is refused', async t => {
  const dir = await tempDir(t);
  const model = await trainedModel();
  await assert.rejects(saveValue(dir, 'first', { layer: model.layers[1] }, context()), (error: unknown) => {
    assert.ok(error instanceof MarshalError);
    assert.equal(error.path, 'first.layer');
    assert.match(error.message, /a tfjs layer without the layers model it belongs to/);
    assert.match(error.message, /hand on the model as well/);
    return true;
  });
  assert.deepEqual(await filesIn(dir), []);
});
