/**
 * Hard failures on real processes and files: an engine killed mid-step, a step out of memory or awaiting for
 * ever, a module that does not load, timeouts longer than Node's timers hold, damaged records and cache
 * entries, a full disk, odd folder names. Each ends in a clear, coded result and loses nothing recorded.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { StepCache } from '../../src/engine/local/step-cache.js';
import { RunStore } from '../../src/engine/local/run-store.js';
import { makeWorkspace, notebookJson, writeNotebook } from '../notebooks.js';
import { alive, cli, cliInBackground, runNotebook, waitFor } from './helpers.js';

test('step processes die with their engine: SIGKILL of `cellflow run` leaves no step running', async () => {
  const dir = makeWorkspace();
  const pidFile = join(dir, 'step.pid');
  const path = writeNotebook(dir, 'forever.ipynb', [
    [['step:start'], 'const n = 1;'],
    [
      ['step:spin', 'prev:start'],
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
        'await new Promise(resolve => setInterval(() => {}, 1000));\nconst m = n;'
    ]
  ]);
  const engine = cliInBackground(['run', path]);
  const stepPid = await waitFor(
    () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined),
    'the step to start'
  );
  assert.ok(alive(stepPid));
  engine.kill('SIGKILL');
  await waitFor(() => (alive(stepPid) ? undefined : true), 'the step process to exit after its engine', 15_000);
  // The record shows the run as interrupted; `runs` and a new run still work.
  const listed = cli(['runs', dir, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout)[0].interrupted, true);
});

test('limit:memory sets the heap limit of the step', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'heap.ipynb', [
    [['imports'], "import v8 from 'node:v8';"],
    [['step:small', 'limit:memory:96Mi'], 'const smallHeap = v8.getHeapStatistics().heap_size_limit / 2 ** 20;'],
    [['step:usual'], 'const usualHeap = v8.getHeapStatistics().heap_size_limit / 2 ** 20;'],
    [['pipeline-metrics'], 'smallHeap;\nusualHeap;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps));
  // V8's limit is the old space asked for plus its young generation.
  assert.ok(record.metrics.smallHeap! >= 96 && record.metrics.smallHeap! < 160, String(record.metrics.smallHeap));
  assert.ok(record.metrics.usualHeap! > 500, String(record.metrics.usualHeap));
});

test('a step that runs out of memory fails saying so, with the limit and what to do', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'hungry.ipynb', [
    [['step:start'], 'const rows = 100000;'],
    [
      ['step:hungry', 'prev:start', 'limit:memory:64Mi'],
      'const hoard: number[][] = [];\nwhile (hoard.length < 1e9) hoard.push(new Array(rows).fill(1.5));'
    ]
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  assert.equal(record.steps.hungry.error?.code, 'step-out-of-memory');
  assert.match(record.steps.hungry.error!.message, /limit:memory:64Mi/);
  assert.match(record.steps.hungry.error!.hint!, /limit:memory/);
});

test('a memory limit that is not a quantity, or too small to start, is a tag error', () => {
  for (const [tag, expected] of [
    ['limit:memory:lots', /Kubernetes quantity/],
    ['limit:memory:1Mi', /at least 32Mi/]
  ] as const) {
    const dir = makeWorkspace();
    const path = writeNotebook(dir, 'bad-limit.ipynb', [[['step:a', tag], 'const a = 1;']]);
    const analysis = analyzeNotebook(parseNotebook(readFileSync(path, 'utf8')).json);
    const problem = analysis.ir.diagnostics.find(d => d.code === 'invalid-tag-value');
    assert.ok(problem, tag);
    assert.match(problem.hint, expected);
  }
});

test('a cell awaiting a promise that never settles fails its step naming the cell', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'never.ipynb', [
    [['step:start'], 'const n = 1;'],
    [['step:wait', 'prev:start'], 'const m = n + 1;'],
    [[], 'await new Promise(() => {});\nconst k = m;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  assert.equal(record.steps.wait.error?.code, 'step-await-never-settles');
  assert.equal(record.steps.wait.error?.cellIndex, 2);
  assert.match(record.steps.wait.error!.message, /cell 3/);
});

test('a step whose module fails to load reports the real error and the file, not only an exit code', async () => {
  const dir = makeWorkspace();
  writeFileSync(join(dir, 'helper.mjs'), 'export const twice = x => x * 2;\nexport const broken = ;\n');
  const path = writeNotebook(dir, 'load.ipynb', [
    [['imports'], "import { twice } from './helper.mjs';"],
    [['step:use'], 'const four = twice(2);']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  const error = record.steps.use.error!;
  assert.equal(error.code, 'step-could-not-load');
  assert.match(error.message, /SyntaxError/);
  assert.match(error.message, /helper\.mjs:2/);
  assert.deepEqual([error.cellIndex, error.line], [0, 1], 'the import that loads it: the imports cell, line 1');
});

test('a timeout longer than Node timers hold (24.8 days) does not fire at once', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'long-timeout.ipynb', [
    [['step:slow', 'timeout:3000000'], 'await new Promise(resolve => setTimeout(resolve, 300));\nconst done = 1;'],
    [['step:after', 'prev:slow'], 'const again = done + 1;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps.slow.error));
});

test('runs lists every run when one record is damaged, and names the damaged one', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'two-runs.ipynb', [[['step:a'], 'const a = 1;']]);
  const first = await runNotebook(path);
  const second = await runNotebook(path, { useCache: false });
  const store = new RunStore(dir);
  writeFileSync(join(store.runDir(first.id), 'run.json'), '{"id": "torn');
  const listed = cli(['runs', dir]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, new RegExp(second.id));
  assert.match(listed.stderr, /damaged-run-record/);
  assert.match(listed.stderr, new RegExp(first.id));
  const json = JSON.parse(cli(['runs', dir, '--json']).stdout) as { id: string; damaged?: unknown }[];
  assert.deepEqual(
    json.map(r => [r.id, r.damaged !== undefined]),
    [
      [second.id, false],
      [first.id, true]
    ],
    'good records newest first, then the damaged ones'
  );
  const logs = cli(['logs', first.id, '--dir', dir]);
  assert.equal(logs.code, 2);
  assert.match(logs.stderr, /damaged-run-record/);
  assert.doesNotMatch(logs.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('--no-cache replaces a damaged cache entry; a later cached run uses the good one', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'cache.ipynb', [
    [['step:make'], 'const values = [1, 2, 3];'],
    [['step:sum', 'prev:make'], 'const total = values.reduce((a, b) => a + b, 0);'],
    [['pipeline-metrics'], 'total;']
  ]);
  const first = await runNotebook(path);
  assert.equal(first.metrics.total, 6);
  const cache = new StepCache(new RunStore(dir).cacheDir());
  const [make, sum] = [cache.lookup(first.steps.make.cacheKey!)!.dir, cache.lookup(first.steps.sum.cacheKey!)!.dir];
  // Damage both entries where the size check cannot see it: the producer's outputs are gone, and the
  // consumer's metrics file, which a cached step reports from.
  rmSync(join(make, 'outputs'), { recursive: true, force: true });
  mkdirSync(join(make, 'outputs'));
  writeFileSync(
    join(sum, 'entry.json'),
    readFileSync(join(sum, 'entry.json'), 'utf8').replace(/"metrics\.json":\d+,?/, '')
  );
  rmSync(join(sum, 'metrics.json'));
  const fresh = await runNotebook(path, { useCache: false });
  assert.equal(fresh.status, 'succeeded');
  const cached = await runNotebook(path);
  assert.equal(cached.steps.make.cached, true);
  assert.equal(cached.steps.sum.cached, true);
  assert.equal(cached.status, 'succeeded', JSON.stringify(cached.steps.sum.error));
  assert.equal(cached.metrics.total, 6);
});

test('a U+2028 in the notebook folder name does not break the step programs', async () => {
  const dir = join(makeWorkspace(), 'odd\u2028name\u2029here');
  mkdirSync(dir);
  const path = writeNotebook(dir, 'odd.ipynb', [
    [['step:a'], 'const a = 20;'],
    [['step:b', 'prev:a'], 'const b = a + 1;'],
    [['pipeline-metrics'], 'b;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps));
  assert.equal(record.metrics.b, 21);
});

/** A real full disk: a small tmpfs (needs root; skipped, saying why, where mounting is not allowed). */
function mountSmallDisk(dir: string, size: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

test('a full disk mid-run fails the step with disk-full, ends the run with a final record, and leaves nothing half-made', async t => {
  const disk = join(makeWorkspace(), 'disk');
  if (!mountSmallDisk(disk, '24m')) {
    t.skip('mounting a tmpfs is not allowed here');
    return;
  }
  try {
    const notebook = notebookJson([
      [['step:small'], 'const small = new Float64Array(1000).fill(1);'],
      // 32 MB of output on a 24 MB disk.
      [['step:big', 'prev:small'], 'const big = new Float64Array(4 * 1024 * 1024).fill(small[0]);'],
      [['step:after', 'prev:big'], 'const total = big.length;']
    ]);
    const path = join(disk, 'full.ipynb');
    writeFileSync(path, JSON.stringify(notebook));
    const run = cli(['run', path, '--json'], disk);
    assert.equal(run.code, 1, run.stderr);
    const summary = JSON.parse(run.stdout) as {
      status: string;
      steps: { name: string; status: string; error?: { code?: string } }[];
    };
    assert.equal(summary.status, 'failed');
    const step = (name: string) => summary.steps.find(s => s.name === name)!;
    assert.equal(step('small').status, 'succeeded');
    assert.equal(step('big').status, 'failed');
    assert.equal(step('big').error?.code, 'disk-full');
    assert.ok(['skipped', 'cancelled'].includes(step('after').status), step('after').status);
    const store = new RunStore(disk);
    const [record] = store.listRuns();
    assert.equal(record!.status, 'failed', 'the final record was written');
    const cacheDir = store.cacheDir();
    const staging = existsSync(cacheDir)
      ? readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter(name => /staging-/.test(name))
      : [];
    assert.deepEqual(staging, [], 'no half-made cache entries');
    assert.equal(cli(['runs', disk]).code, 0);
    assert.equal(cli(['logs', record!.id, '--dir', disk]).code, 0);
  } finally {
    spawnSync('umount', ['-l', disk]);
  }
});

test('a step that exits 0 before saving its outputs fails (step-no-outputs) and is never cached', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'early-exit.ipynb', [
    [['step:a'], 'const a = 1;\nif (a === 1) process.exit(0);'],
    [['step:b', 'prev:a'], 'const b = a + 1;']
  ]);
  for (const attempt of [1, 2]) {
    const record = await runNotebook(path);
    assert.equal(record.status, 'failed', `attempt ${attempt}`);
    assert.equal(record.steps.a.error?.code, 'step-no-outputs');
    assert.equal(record.steps.a.cached, false);
    assert.equal(record.steps.b.status, 'skipped');
  }
});

test('runs started at the same moment never share a folder', () => {
  const store = new RunStore(makeWorkspace());
  const ids = Array.from({ length: 300 }, () => store.createRun());
  assert.equal(new Set(ids).size, ids.length);
});
