/**
 * Fault injection on real processes and files: the engine and single step processes killed with SIGKILL at
 * seeded pseudo-random moments, damaged run records and cache entries, a 200 MB value between steps, and a
 * hostile cell through `cellflow run` and `cellflow serve`. After each fault the records can be read, no step
 * process is left behind, what was recorded before is unchanged, and a new run of the notebook succeeds.
 * (hard-failures.test.ts and failures.test.ts hold the single-fault cases these build on.)
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { StepCache } from '../../src/engine/local/step-cache.js';
import { RunStore } from '../../src/engine/local/run-store.js';
import type { RunRecord } from '../../src/engine/types.js';
import { MAX_NESTING } from '../../src/analyze/source.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { CLI, cli, cliInBackground, waitFor } from '../engine/helpers.js';

/** mulberry32: a small seeded generator, so every kill lands where it landed the last time the test ran. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

const EXPECTED = { total: (999 * 1000 * 1999) / 6, count: 1000 };

/**
 * Four steps (a chain of three and a parallel branch), each half a second long. Every step process
 * (warm ones too) leaves its pid in `pids/all/`, and each step's cells leave the pid running them in
 * `pids/<step>`, so the test can kill one and check none is left.
 */
function pipeline(dir: string): { path: string; pids: string } {
  const pids = join(dir, 'pids');
  // The steps write their pids into the live workspace; left out of its snapshot, so they do not change the
  // workspace files every step's cache key covers.
  writeFileSync(join(dir, '.cellflowignore'), 'pids/\n');
  const wait = 'await new Promise(resolve => setTimeout(resolve, 500));';
  const mark = (step: string) => `writeFileSync(${JSON.stringify(join(pids, step))}, String(process.pid));`;
  const path = writeNotebook(dir, 'pipeline.ipynb', [
    [
      ['imports'],
      "import { mkdirSync, writeFileSync } from 'node:fs';\n" +
        `mkdirSync(${JSON.stringify(join(pids, 'all'))}, { recursive: true });\n` +
        `writeFileSync(${JSON.stringify(join(pids, 'all'))} + '/' + process.pid, '');`
    ],
    [['step:load'], `${mark('load')}\n${wait}\nconst values = Array.from({ length: 1000 }, (_, i) => i);`],
    [['step:square', 'prev:load'], `${mark('square')}\n${wait}\nconst squares = values.map(v => v * v);`],
    [['step:sum', 'prev:square'], `${mark('sum')}\n${wait}\nconst total = squares.reduce((a, b) => a + b, 0);`],
    [['step:count', 'prev:load'], `${mark('count')}\n${wait}\nconst count = values.length;`],
    [['pipeline-metrics'], 'total;\ncount;']
  ]);
  return { path, pids };
}

function stepPids(pids: string): number[] {
  const all = join(pids, 'all');
  return existsSync(all) ? readdirSync(all).map(Number) : [];
}

function listRuns(dir: string): (RunRecord & { interrupted?: boolean; damaged?: unknown })[] {
  const listed = cli(['runs', dir, '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  return JSON.parse(listed.stdout);
}

/** What must hold after any fault: records readable, none `running` without its engine, logs readable. */
async function assertRecovered(dir: string, pids: string, path: string, untouched: Map<string, string>) {
  for (const run of listRuns(dir)) {
    if (run.damaged) continue;
    assert.ok(run.status !== 'running' || run.interrupted === true, `run ${run.id} is ${run.status}`);
    if (run.status === 'running') assert.equal(alive(run.pid), false, `run ${run.id}'s engine is gone`);
    const logs = cli(['logs', run.id, '--dir', dir]);
    assert.equal(logs.code, 0, logs.stderr);
  }
  for (const pid of stepPids(pids)) {
    await waitFor(() => (alive(pid) ? undefined : true), `step process ${pid} to exit`, 15_000);
  }
  const store = new RunStore(dir);
  for (const [id, bytes] of untouched) {
    assert.equal(readFileSync(join(store.runDir(id), 'run.json'), 'utf8'), bytes, `run ${id} is unchanged`);
  }
  const rerun = cli(['run', path, '--json']);
  assert.equal(rerun.code, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout) as { runId: string; status: string; metrics: Record<string, number> };
  assert.equal(summary.status, 'succeeded');
  assert.deepEqual(summary.metrics, EXPECTED);
  untouched.set(summary.runId, readFileSync(join(store.runDir(summary.runId), 'run.json'), 'utf8'));
}

test('SIGKILL of the engine at seeded moments: records stay readable, no step survives, the next run succeeds', async () => {
  const dir = makeWorkspace('kill-engine-');
  const { path, pids } = pipeline(dir);
  const first = cli(['run', path, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const baseline = JSON.parse(first.stdout) as { runId: string; metrics: Record<string, number> };
  assert.deepEqual(baseline.metrics, EXPECTED);
  const store = new RunStore(dir);
  const untouched = new Map([[baseline.runId, readFileSync(join(store.runDir(baseline.runId), 'run.json'), 'utf8')]]);

  const random = seeded(20261202);
  // Kill points: early (while the CLI compiles and starts, maybe before any record) and inside a step picked by
  // the seed, at a seeded offset into its 500 ms.
  const anchors = ['start', 'load', 'square', 'count', 'sum'];
  for (let point = 0; point < anchors.length; point++) {
    rmSync(pids, { recursive: true, force: true });
    const before = new Set(listRuns(dir).map(r => r.id));
    // Without the cache, so the steps really run.
    const engine = cliInBackground(['run', path, '--no-cache']);
    const exited = new Promise(resolve => engine.on('close', resolve));
    const anchor = point === 0 ? 'start' : anchors[1 + Math.floor(random() * (anchors.length - 1))]!;
    if (anchor !== 'start') {
      const file = join(pids, anchor);
      await waitFor(() => (existsSync(file) ? true : undefined), `step ${anchor} to start`);
    }
    await sleep(Math.round(random() * 250));
    engine.kill('SIGKILL');
    await exited;
    const killed = listRuns(dir).find(r => !before.has(r.id));
    if (anchor !== 'start') {
      assert.ok(killed, `a record of the run killed in ${anchor}`);
      assert.equal(killed.status, 'running', `killed in ${anchor}: the engine could not write a final record`);
      assert.equal(killed.interrupted, true, `killed in ${anchor}: listed as interrupted`);
    }
    await assertRecovered(dir, pids, path, untouched);
  }
});

test('SIGKILL of one step process at a seeded moment fails that step with step-killed; the rest recovers', async () => {
  const dir = makeWorkspace('kill-step-');
  const { path, pids } = pipeline(dir);
  const untouched = new Map<string, string>();
  const random = seeded(7);
  const store = new RunStore(dir);
  for (const victim of ['load', 'square', 'count']) {
    rmSync(pids, { recursive: true, force: true });
    const engine = cliInBackground(['run', path, '--no-cache', '--json']);
    let stdout = '';
    engine.stdout!.on('data', chunk => (stdout += chunk));
    const exited = new Promise<number | null>(resolve => engine.on('close', resolve));
    const file = join(pids, victim);
    const pid = await waitFor(
      () => (existsSync(file) ? Number(readFileSync(file, 'utf8')) || undefined : undefined),
      `step ${victim} to start`
    );
    await sleep(Math.round(random() * 250)); // somewhere inside the step's 500 ms
    process.kill(pid, 'SIGKILL');
    assert.equal(await exited, 1);
    const summary = JSON.parse(stdout) as { runId: string };
    const record = store.readRun(summary.runId);
    assert.equal(record.status, 'failed');
    assert.ok(record.finishedAt, 'the record is final');
    assert.equal(record.steps[victim].status, 'failed');
    assert.equal(record.steps[victim].error?.code, 'step-killed');
    const dependents = { load: ['square', 'sum', 'count'], square: ['sum'], count: [] }[victim]!;
    for (const step of dependents) assert.equal(record.steps[step].status, 'skipped', step);
    if (victim !== 'load') {
      const other = victim === 'count' ? 'sum' : 'count';
      assert.equal(record.steps[other].status, 'succeeded', `the other branch (${other}) finished`);
    }
    await assertRecovered(dir, pids, path, untouched);
  }
});

test('damaged run records (truncated, an array, empty) are listed apart; logs say so; a new run works', async () => {
  const dir = makeWorkspace('damaged-record-');
  const { path, pids } = pipeline(dir);
  const store = new RunStore(dir);
  const damage = { truncated: '{"id": "20261202-1', array: '[1, 2, 3]\n', empty: '' };
  const ids: string[] = [];
  for (const content of Object.values(damage)) {
    const run = cli(['run', path, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const id = (JSON.parse(run.stdout) as { runId: string }).runId;
    writeFileSync(join(store.runDir(id), 'run.json'), content);
    ids.push(id);
  }
  const listed = listRuns(dir);
  assert.deepEqual(listed.map(r => [r.id, r.damaged !== undefined]).sort(), ids.map(id => [id, true]).sort());
  for (const id of ids) {
    const logs = cli(['logs', id, '--dir', dir]);
    assert.equal(logs.code, 2, logs.stderr);
    assert.match(logs.stderr, /damaged-run-record/);
    assert.doesNotMatch(logs.stderr, /at .*\.js:\d+/, 'no stack trace');
  }
  await assertRecovered(dir, pids, path, new Map());
});

/** The folder of `step`'s current cache entry from `record`. */
function cacheEntry(dir: string, record: RunRecord, step: string): string {
  return new StepCache(new RunStore(dir).cacheDir()).lookup(record.steps[step].cacheKey!)!.dir;
}

function truncateValueFile(entry: string): void {
  const outputs = join(entry, 'outputs');
  const data = readdirSync(outputs).find(f => f.endsWith('.v8'))!;
  truncateSync(join(outputs, data), 3);
}

/** Damage done to the cache entry of step `square` (and, for one, to its consumer's). */
const CACHE_DAMAGE: Record<string, (entryOf: (step: string) => string) => void> = {
  'a truncated value file': entryOf => truncateValueFile(entryOf('square')),
  // The consumer must load the damaged value: before entries were checked, it failed on it.
  'a truncated value file and its consumer not cached': entryOf => {
    truncateValueFile(entryOf('square'));
    rmSync(entryOf('sum'), { recursive: true });
  },
  'garbage result.json': entryOf => writeFileSync(join(entryOf('square'), 'result.json'), '{"notA": "result"'),
  // Before result reports were checked, this one crashed the engine with a TypeError.
  'a result.json of the wrong shape': entryOf => writeFileSync(join(entryOf('square'), 'result.json'), '[17]'),
  'a missing entry.json': entryOf => rmSync(join(entryOf('square'), 'entry.json'))
};

for (const [damage, apply] of Object.entries(CACHE_DAMAGE)) {
  test(`a cache entry with ${damage} is a miss: the step runs again and the metrics are right`, async () => {
    const dir = makeWorkspace('damaged-cache-');
    const { path, pids } = pipeline(dir);
    const first = cli(['run', path, '--json']);
    assert.equal(first.code, 0, first.stderr);
    const store = new RunStore(dir);
    const record = store.readRun((JSON.parse(first.stdout) as { runId: string }).runId);
    apply(step => cacheEntry(dir, record, step));
    const again = cli(['run', path, '--json']);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    const summary = JSON.parse(again.stdout) as { runId: string; metrics: Record<string, number> };
    assert.deepEqual(summary.metrics, EXPECTED);
    const second = store.readRun(summary.runId);
    assert.equal(second.steps.load.cached, true, 'the good entry is used');
    assert.equal(second.steps.square.cached, false, 'the damaged entry is not');
    // The step's new result replaced the damaged entry.
    const third = cli(['run', path, '--json']);
    assert.equal(third.code, 0, third.stderr);
    const thirdRecord = store.readRun((JSON.parse(third.stdout) as { runId: string }).runId);
    assert.equal(thirdRecord.steps.square.cached, true);
    assert.deepEqual(thirdRecord.metrics, EXPECTED);
    await assertRecovered(dir, pids, path, new Map());
  });
}

test('a 200 MB value passes to a downstream step whole, without needless copies', async () => {
  const dir = makeWorkspace('big-value-');
  const length = 25_000_000;
  const fill = 'for (let i = 0; i < big.length; i++) big[i] = (i % 1000) * 0.5 + i / 1e7;';
  const sum = 'let checksum = 0;\nfor (let i = 0; i < big.length; i++) checksum += big[i] * ((i % 7) + 1);';
  const rss = (name: string) => `const ${name} = process.resourceUsage().maxRSS / 1024;`;
  const path = writeNotebook(dir, 'big.ipynb', [
    [['step:make'], `const big = new Float64Array(${length});\n${fill}\n${rss('makeRss')}`],
    [['step:use', 'prev:make'], `${sum}\n${rss('useRss')}`],
    [['pipeline-metrics'], 'checksum;\nmakeRss;\nuseRss;']
  ]);
  try {
    const run = cli(['run', path, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const { metrics } = JSON.parse(run.stdout) as { metrics: Record<string, number> };
    // The straight run, here: the same loops over the same numbers.
    const big = new Float64Array(length);
    for (let i = 0; i < big.length; i++) big[i] = (i % 1000) * 0.5 + i / 1e7;
    let checksum = 0;
    for (let i = 0; i < big.length; i++) checksum += big[i]! * ((i % 7) + 1);
    assert.equal(metrics.checksum, checksum);
    // 200 MB of data: one copy in each process plus Node itself (about 250 MB); a second copy (the consumer's
    // fingerprint hashed the array in one call into wasm memory) would be past 400 MB.
    assert.ok(metrics.makeRss! < 350, `the producer peaked at ${metrics.makeRss} MB`);
    assert.ok(metrics.useRss! < 350, `the consumer peaked at ${metrics.useRss} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const DEEP = `const x = ${'('.repeat(MAX_NESTING * 4)}1${')'.repeat(MAX_NESTING * 4)};`;

test('a deeply nested cell through `cellflow run` is one cell-too-deep error, not a crash', () => {
  const dir = makeWorkspace('deep-');
  const path = writeNotebook(dir, 'deep.ipynb', [
    [['step:a'], 'const a = 1;'],
    [['step:deep', 'prev:a'], DEEP]
  ]);
  const run = cli(['run', path]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /cell-too-deep \(cell 2/);
  assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
  assert.equal(existsSync(join(dir, '.cellflow', 'runs')), false, 'nothing ran');
});

test('a deeply nested cell through `cellflow serve` is a cell-too-deep diagnostic; the server answers on', async () => {
  const dir = makeWorkspace('deep-serve-');
  writeNotebook(dir, 'deep.ipynb', [[['step:deep'], DEEP]]);
  writeNotebook(dir, 'good.ipynb', [
    [['step:a'], 'const a = 1;'],
    [['step:b', 'prev:a'], 'const b = a + 1;']
  ]);
  const secret = 'fault-injection-secret';
  const server = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--root', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CELLFLOW_SERVER_SECRET: secret }
  });
  try {
    let stderr = '';
    server.stderr!.on('data', chunk => (stderr += chunk));
    const url = await waitFor(() => /serving .* at (http:\S+)/.exec(stderr)?.[1], 'the server to start');
    const analyze = async (notebook: string) => {
      const response = await fetch(new URL('/api/analyze', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Cellflow-Secret': secret },
        body: JSON.stringify({ path: notebook })
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const deep = await analyze('deep.ipynb');
    assert.equal(deep.status, 200, JSON.stringify(deep.body));
    const codes = (deep.body.diagnostics as { code: string; cellIndex?: number }[]).map(d => [d.code, d.cellIndex]);
    assert.deepEqual(codes, [['cell-too-deep', 0]]);
    for (let i = 0; i < 2; i++) {
      const good = await analyze('good.ipynb');
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.deepEqual(
        (good.body.steps as { name: string }[]).map(s => s.name),
        ['a', 'b']
      );
    }
    assert.equal(server.exitCode, null, 'the server is still running');
  } finally {
    server.kill('SIGTERM');
  }
});
