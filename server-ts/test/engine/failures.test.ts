/**
 * Every way a run can go wrong, on real processes and real files: values that
 * cannot be marshalled, a step that throws, bad parameters, cancel, and the
 * engine killed with SIGKILL mid-run.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { RunStore } from '../../src/engine/local/run-store.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { cli, cliInBackground, runNotebook, waitFor } from './helpers.js';

test('a value that cannot be marshalled fails its step with the name, the steps and what to do', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'socket.ipynb', [
    [['imports'], "import * as net from 'node:net';"],
    // Made where analysis cannot see what it is (it refuses `new net.Socket()` before running): the runtime's check.
    [['step:connect'], 'const conn = Reflect.construct(net.Socket, []);\nconst port = 8080;'],
    [['step:use', 'prev:connect'], 'const described = `${port} ${typeof conn}`;']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  const failed = record.steps.connect;
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error?.kind, 'marshal');
  assert.equal(failed.error?.code, 'value-cannot-travel');
  assert.deepEqual([failed.error?.cellIndex, failed.error?.line], [1, 1], 'where the step defines `conn`');
  assert.match(failed.error!.message, /`conn`/);
  assert.match(failed.error!.message, /`connect`/);
  assert.match(failed.error!.message, /`use`/);
  assert.equal(record.steps.use.status, 'skipped');
  assert.match(record.steps.use.reason!, /connect/);
});

test('a failing step names the notebook cell and line; dependents are skipped, other branches finish', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'boom.ipynb', [
    { markdown: '# A notebook that fails' },
    [['step:load'], 'const values = [1, 2, 3];'],
    [
      ['step:broken', 'prev:load'],
      'const total = values.length;\n// the next line throws\nif (total > 2) throw new Error(`too many: ${total}`);'
    ],
    [['step:after', 'prev:broken'], 'const again = total + 1;'],
    [['step:branch', 'prev:load'], 'const doubled = values.map(v => v * 2);'],
    [['step:leaf', 'prev:branch'], 'const sum = doubled.reduce((a, b) => a + b, 0);\nconsole.log(`sum=${sum}`);']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'failed');
  assert.equal(record.steps.broken.status, 'failed');
  assert.equal(record.steps.broken.error?.cellIndex, 2, 'the third cell of the notebook (index 2)');
  assert.equal(record.steps.broken.error?.line, 3);
  assert.match(record.steps.broken.error!.message, /too many: 3/);
  assert.equal(record.steps.after.status, 'skipped');
  assert.equal(record.steps.branch.status, 'succeeded');
  assert.equal(record.steps.leaf.status, 'succeeded');
  assert.equal(record.metrics.sum, undefined, 'no pipeline-metrics cell: stdout lines are logs, not run metrics');
  const log = readFileSync(join(new RunStore(dir).stepDir(record.id, 'leaf'), 'stdout.log'), 'utf8');
  assert.match(log, /sum=12/);
});

test('bad --param values are rejected before anything runs', () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'params.ipynb', [
    [['pipeline-parameters'], 'const epochs = 3;\nconst name = "a";\nconst flag = true;'],
    [['step:only'], 'const out = epochs;']
  ]);
  for (const [param, message] of [
    ['epochs=abc', /not a valid number for parameter `epochs`/],
    ['flag=yes', /not a valid boolean for parameter `flag`/],
    ['missing=1', /no pipeline parameter `missing`.*epochs/s],
    ['epochs', /not of the form name=value/]
  ] as const) {
    const result = cli(['run', path, '--param', param]);
    assert.equal(result.code, 2, `${param}: ${result.stderr}`);
    assert.match(result.stderr, message);
  }
  assert.equal(existsSync(join(dir, '.cellflow', 'runs')), false, 'no run was started');
});

test('a notebook with errors does not run, and says where the errors are', () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'broken.ipynb', [[['step:a'], 'const x = y + 1;']]);
  const result = cli(['run', path]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /undefined-variable \(cell 1, line 1:11\)/);
  assert.match(result.stderr, /cannot run/);
});

test('cellflow cancel stops a running run and records it as cancelled', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'slow.ipynb', [
    [['step:slow'], 'await new Promise(resolve => setTimeout(resolve, 60_000));\nconst done = true;'],
    [['step:next', 'prev:slow'], 'const after = done;']
  ]);
  const child = cliInBackground(['run', path]);
  const exited = new Promise<number | null>(resolve => child.on('close', resolve));
  const store = new RunStore(dir);
  const runId = await waitFor(
    () => store.listRuns().find(r => r.steps.slow?.status === 'running')?.id,
    'the slow step to start'
  );
  const cancel = cli(['cancel', runId, '--dir', dir]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.equal(await exited, 130);
  const record = store.readRun(runId);
  assert.equal(record.status, 'cancelled');
  assert.equal(record.steps.slow.status, 'cancelled');
  assert.equal(record.steps.next.status, 'cancelled');
});

test('after SIGKILL of the engine mid-run, `cellflow runs` reads every record and a re-run works', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'killed.ipynb', [
    [['step:first'], 'const items = Array.from({ length: 1000 }, (_, i) => i);'],
    [
      ['step:second', 'prev:first'],
      'await new Promise(resolve => setTimeout(resolve, 1500));\nconst count = items.length;'
    ],
    [['step:third', 'prev:second'], 'const total = count * 2;'],
    [['pipeline-metrics'], 'total']
  ]);
  const child = cliInBackground(['run', path]);
  const exited = new Promise(resolve => child.on('close', resolve));
  const store = new RunStore(dir);
  await waitFor(() => store.listRuns().find(r => r.steps.second?.status === 'running'), 'the second step to start');
  child.kill('SIGKILL');
  await exited;

  const listed = cli(['runs', dir]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /interrupted/);
  const rerun = cli(['run', path, '--json']);
  assert.equal(rerun.code, 0, rerun.stderr);
  const summary = JSON.parse(rerun.stdout);
  assert.equal(summary.status, 'succeeded');
  assert.equal(summary.metrics.total, 2000);
  const runs = readdirSync(join(dir, '.cellflow', 'runs'));
  assert.equal(runs.length, 2);
});

test('a step started early (while its dependency runs) is stopped and leaves nothing when the dependency fails', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'early.ipynb', [
    [['imports'], "import { writeFileSync } from 'node:fs';"],
    [['step:slow_fail'], "await new Promise(resolve => setTimeout(resolve, 800));\nthrow new Error('upstream broke');"],
    [['step:waiting', 'prev:slow_fail'], "writeFileSync('waiting-ran.txt', 'ran');\nconst after = 1;"]
  ]);
  const record = await runNotebook(path, { concurrency: 2 });
  assert.equal(record.steps.slow_fail.status, 'failed');
  assert.equal(record.steps.waiting.status, 'skipped');
  assert.equal(
    existsSync(new RunStore(dir).stepDir(record.id, 'waiting')),
    false,
    'the early process left no step folder'
  );
  // Steps work in the run's frozen copy of the workspace (run-workspace.ts): it would be written there.
  const copy = join(new RunStore(dir).runDir(record.id), 'workspace', resolve(dir));
  assert.ok(existsSync(join(copy, 'early.ipynb')), 'the run worked in its copy');
  assert.equal(existsSync(join(copy, 'waiting-ran.txt')), false, "the skipped step's cells never ran");
  assert.equal(existsSync(join(dir, 'waiting-ran.txt')), false, 'nor in the live folder');
});

// A warm process whose prelude exits on its own (here only when started early, so the step's own run is not
// affected): the engine must still end the run with a final record when the step is then skipped or cancelled.
// It leaves a file behind first, so the tests know it has gone.
const EXITS_WHEN_WARM =
  "import { existsSync, writeFileSync } from 'node:fs';\n" +
  "process.env.CELLFLOW_WAIT_FOR_INPUTS === '1' && (writeFileSync('warm-exited.txt', ''), process.exit(3));";
const AFTER_WARM_EXITED =
  "while (!existsSync('warm-exited.txt')) await new Promise(resolve => setTimeout(resolve, 50));";

test('a run ends with a final record when a step started early had already exited and its dependency fails', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'warm-exited.ipynb', [
    [['imports'], EXITS_WHEN_WARM],
    [
      ['step:a'],
      `${AFTER_WARM_EXITED}\nawait new Promise(resolve => setTimeout(resolve, 200));\nthrow new Error('upstream broke');`
    ],
    [['step:b', 'prev:a'], 'const after = 1;']
  ]);
  const result = cli(['run', path, '--json', '--concurrency', '2']);
  assert.equal(result.code, 1, result.stderr);
  const summary = JSON.parse(result.stdout) as { runId: string; status: string };
  assert.equal(summary.status, 'failed');
  const record = new RunStore(dir).readRun(summary.runId);
  assert.equal(record.status, 'failed');
  assert.ok(record.finishedAt, 'the run record is final');
  assert.equal(record.steps.a.status, 'failed');
  assert.equal(record.steps.b.status, 'skipped');
});

test('cancel ends the run with a final record when a step started early had already exited', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'warm-exited-cancel.ipynb', [
    [['imports'], EXITS_WHEN_WARM],
    [['step:slow'], 'await new Promise(resolve => setTimeout(resolve, 60_000));\nconst done = true;'],
    [['step:next', 'prev:slow'], 'const after = done;']
  ]);
  const child = cliInBackground(['run', path, '--concurrency', '2']);
  const exited = new Promise<number | null>(resolve => child.on('close', resolve));
  const store = new RunStore(dir);
  const runId = await waitFor(
    () => store.listRuns().find(r => r.steps.slow?.status === 'running')?.id,
    'the slow step to start'
  );
  // Steps work in the run's frozen copy of the workspace (run-workspace.ts): the file is written there.
  const copy = join(store.runDir(runId), 'workspace', resolve(dir));
  await waitFor(() => (existsSync(join(copy, 'warm-exited.txt')) ? true : undefined), 'the early process to exit');
  await new Promise(resolve => setTimeout(resolve, 200)); // and the engine to hear it closed
  const cancel = cli(['cancel', runId, '--dir', dir]);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.equal(await exited, 130);
  const record = store.readRun(runId);
  assert.equal(record.status, 'cancelled');
  assert.ok(record.finishedAt, 'the run record is final');
  assert.equal(record.steps.slow.status, 'cancelled');
  assert.equal(record.steps.next.status, 'cancelled');
});

test('a step that prints a lot before its metric keeps all its output, and the metric is collected', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'loud.ipynb', [
    [
      ['step:loud'],
      // Lines, then one write bigger than a pipe holds (64 KB): the part the pipe cannot take yet is queued.
      "const line = 'x'.repeat(99);\nfor (let i = 0; i < 1000; i++) console.log(line);\nconsole.log('y'.repeat(200_000));\nconst accuracy = 0.75;"
    ],
    [['pipeline-metrics'], 'accuracy']
  ]);
  const result = cli(['run', path, '--json']);
  assert.equal(result.code, 0, result.stderr);
  const summary = JSON.parse(result.stdout) as { runId: string; metrics: Record<string, number> };
  assert.equal(summary.metrics.accuracy, 0.75);
  const log = readFileSync(join(new RunStore(dir).stepDir(summary.runId, 'loud'), 'stdout.log'), 'utf8');
  const lines = log.split('\n');
  assert.equal(lines.filter(l => l === 'x'.repeat(99)).length, 1000, 'every printed line is in the log');
  assert.ok(lines.includes('y'.repeat(200_000)), 'the long line is whole');
  assert.match(log, /^accuracy=0\.75$/m, 'the metric line is the last thing printed and it is kept');
  assert.ok(log.length > 300_000);
});

test('the log of a step holds everything it printed as soon as the run is done, even from a non-blocking pipe', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'loud-nonblocking.ipynb', [
    [
      ['step:loud'],
      // A library may switch stdout to non-blocking: writes a full pipe cannot take wait in the process, and
      // an exit right after the cell would drop them unless the runtime flushes first.
      "(process.stdout as any)._handle?.setBlocking?.(false);\nconsole.log('z'.repeat(20_000_000));\nconst loss = 0.25;"
    ],
    [['pipeline-metrics'], 'loss']
  ]);
  const record = await runNotebook(path);
  assert.equal(record.status, 'succeeded', JSON.stringify(record.steps.loud.error));
  assert.equal(record.metrics.loss, 0.25);
  const log = readFileSync(join(new RunStore(dir).stepDir(record.id, 'loud'), 'stdout.log'), 'utf8');
  assert.ok(log.split('\n').includes('z'.repeat(20_000_000)), `the long line is whole (log has ${log.length} chars)`);
  assert.match(log, /^loss=0\.25$/m);
});
