/** GPU steps get devices of their own through CUDA_VISIBLE_DEVICES; other steps see none. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { GpuPool } from '../../src/engine/local/gpu-pool.js';
import { RunStore } from '../../src/engine/local/run-store.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { runNotebook } from './helpers.js';

const show =
  'await new Promise(resolve => setTimeout(resolve, 300));\nconsole.log(`devices=[${process.env.CUDA_VISIBLE_DEVICES}]`);';

test('each GPU step gets its own devices, CPU steps none, and a step asking for too many runs with what there is', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'gpus.ipynb', [
    [['step:first_gpu', 'limit:nvidia.com/gpu:1'], show],
    [['step:second_gpu', 'limit:nvidia.com/gpu:1'], show],
    [['step:cpu_only'], show],
    [['step:greedy', 'limit:nvidia.com/gpu:4', 'prev:first_gpu', 'prev:second_gpu'], show]
  ]);
  const record = await runNotebook(path, { gpus: new GpuPool(['0', '1']), concurrency: 3 });
  assert.equal(record.status, 'succeeded');
  const store = new RunStore(dir);
  const devices = (step: string) =>
    /devices=\[(.*)\]/.exec(readFileSync(join(store.stepDir(record.id, step), 'stdout.log'), 'utf8'))![1];
  assert.deepEqual(
    [devices('first_gpu'), devices('second_gpu')].sort(),
    ['0', '1'],
    'two GPU steps running together hold different devices'
  );
  assert.equal(devices('cpu_only'), '');
  assert.equal(devices('greedy'), '0,1');
  assert.match(
    readFileSync(join(store.stepDir(record.id, 'greedy'), 'engine.log'), 'utf8'),
    /asks for 4 GPU\(s\); this machine has 2/
  );
});

test('the device list comes from CELLFLOW_GPUS, then CUDA_VISIBLE_DEVICES', () => {
  assert.deepEqual(GpuPool.detect({ CELLFLOW_GPUS: '2, 3' }).devices, ['2', '3']);
  assert.deepEqual(GpuPool.detect({ CELLFLOW_GPUS: '' }).devices, []);
  assert.deepEqual(GpuPool.detect({ CUDA_VISIBLE_DEVICES: '1' }).devices, ['1']);
});
