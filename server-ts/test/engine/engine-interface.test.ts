/**
 * The local engine through the `Engine` interface: events replayed from any sequence number and followed live,
 * also by another engine instance and another process; cancel through the run's owner; ownership by lock; ids.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { compileNotebookFile } from '../../src/compile/index.js';
import { CellflowError } from '../../src/diagnostics/diagnostic.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { RunStore, newRunId } from '../../src/engine/local/run-store.js';
import type { RunHandle, SequencedRunEvent } from '../../src/engine/types.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { alive, cli, cliInBackground, waitFor } from './helpers.js';

async function submit(path: string, engine = new LocalEngine(dirname(path), { killGraceMs: 500 })): Promise<RunHandle> {
  return engine.submit(await compileNotebookFile(path), { parameters: {}, concurrency: 2 });
}

async function collect(events: AsyncIterable<SequencedRunEvent>): Promise<SequencedRunEvent[]> {
  const seen: SequencedRunEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const SLOW_LOGGING = [
  [
    ['step:first'],
    'console.log("one");\nawait new Promise(resolve => setTimeout(resolve, 600));\nconsole.log("two");\nconst a = 1;'
  ],
  [['step:second', 'prev:first'], 'console.log("three");\nconst b = a + 1;']
] as [string[], string][];

test('events replay from any sequence number, numbered from 1 without gaps, ending with run-finished', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'events.ipynb', SLOW_LOGGING);
  const run = await submit(path);
  const other = new LocalEngine(dir); // another instance, following while the run goes on
  const live = collect(other.events(run.id));
  assert.equal((await run.done).status, 'succeeded');
  const followed = await live;
  const replayed = await collect(other.events(run.id, 0));
  assert.deepEqual(followed, replayed);
  assert.deepEqual(
    replayed.map(e => e.seq),
    replayed.map((_, i) => i + 1)
  );
  assert.equal(replayed.at(-1)!.event.type, 'run-finished');
  const lines = replayed.flatMap(e => (e.event.type === 'step-log' ? [e.event.line] : []));
  assert.deepEqual(lines, ['one', 'two', 'three']);
  // A reconnecting client: the events after the last one it saw, and nothing twice.
  const resumed = await collect(other.events(run.id, 3));
  assert.deepEqual(resumed, replayed.slice(3));
  assert.deepEqual(await collect(other.events(run.id, replayed.length)), []);
});

test('a subscriber joining mid-run from its last seq sees the rest exactly once; aborting ends iteration', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'late.ipynb', SLOW_LOGGING);
  const run = await submit(path);
  const engine = new LocalEngine(dir);
  const controller = new AbortController();
  const early: SequencedRunEvent[] = [];
  for await (const event of engine.events(run.id, 0, controller.signal)) {
    early.push(event);
    if (event.event.type === 'step-log') controller.abort(); // the run goes on; this subscriber stops
  }
  assert.equal(early.at(-1)!.event.type, 'step-log');
  const rest = await collect(engine.events(run.id, early.at(-1)!.seq));
  await run.done;
  assert.deepEqual([...early, ...rest], await collect(engine.events(run.id)));
});

test('another process follows a CLI run to its end', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'cli-follow.ipynb', SLOW_LOGGING);
  const child = cliInBackground(['run', path]);
  const exited = new Promise<number | null>(resolve => child.on('close', resolve));
  const store = new RunStore(dir);
  const runId = await waitFor(() => store.listRuns()[0]?.id, 'the run to start');
  const events = await collect(new LocalEngine(dir).events(runId));
  assert.equal(await exited, 0);
  const last = events.at(-1)!.event;
  assert.equal(last.type === 'run-finished' && last.record.status, 'succeeded');
});

const PID_THEN_WAIT = (pidFile: string) =>
  `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
  'await new Promise(resolve => setTimeout(resolve, 60_000));\nconst done = true;';

for (const from of ['a second engine instance', 'a child process running the CLI'] as const) {
  test(`cancel from ${from} stops the run through its owner and kills its steps`, async () => {
    const dir = makeWorkspace();
    const pidFile = join(dir, 'step.pid');
    const path = writeNotebook(dir, 'cancel.ipynb', [
      [['step:slow'], PID_THEN_WAIT(pidFile)],
      [['step:next', 'prev:slow'], 'const after = done;']
    ]);
    const run = await submit(path);
    const pid = await waitFor(
      () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined),
      'the step'
    );
    if (from === 'a second engine instance') await new LocalEngine(dir).cancel(run.id);
    else assert.equal(cli(['cancel', run.id, '--dir', dir]).code, 0);
    const record = await run.done;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.steps.slow.status, 'cancelled');
    assert.equal(record.steps.next.status, 'cancelled');
    await waitFor(() => (alive(pid) ? undefined : true), 'the step process to exit', 10_000);
    assert.equal((await new LocalEngine(dir).get(run.id)).interrupted, undefined);
  });
}

test('a running record nobody holds the lock of is interrupted; cancelling it ends it and its event log', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'owned.ipynb', [[['step:only'], 'const x = 1;']]);
  const run = await submit(path);
  const engine = new LocalEngine(dir);
  const record = await run.done;
  assert.equal((await engine.get(run.id)).interrupted, undefined);
  // The same record left `running` by an engine whose process lives but holds no lock (a reused pid).
  const store = new RunStore(dir);
  const id = store.createRun();
  writeFileSync(
    join(store.runDir(id), 'run.json'),
    JSON.stringify({ ...record, id, status: 'running', pid: process.pid, finishedAt: undefined })
  );
  assert.equal((await engine.get(id)).interrupted, true);
  await engine.cancel(id);
  const ended = await engine.get(id);
  assert.equal(ended.status, 'cancelled');
  assert.ok(ended.finishedAt);
  const events = await collect(engine.events(id));
  assert.deepEqual(
    events.map(e => [e.seq, e.event.type]),
    [[1, 'run-finished']]
  );
});

test('run ids are ULIDs in time order; list is newest first, and runs with the older ids still read', async () => {
  const ids = [newRunId(1_700_000_000_000), newRunId(1_700_000_000_000), newRunId(1_700_000_000_001)];
  assert.deepEqual([...ids].sort(), ids);
  assert.match(ids[0], /^[0-9A-HJKMNP-TV-Z]{26}$/);

  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'ids.ipynb', [[['step:only'], 'const x = 1;']]);
  const first = await (await submit(path)).done;
  const second = await (await submit(path)).done;
  const oldId = '20261123-071502-3fa9';
  mkdirSync(new RunStore(dir).runDir(oldId));
  const startedAt = '2020-01-01T00:00:00.000Z';
  writeFileSync(join(new RunStore(dir).runDir(oldId), 'run.json'), JSON.stringify({ ...first, id: oldId, startedAt }));
  const engine = new LocalEngine(dir);
  assert.deepEqual(
    (await engine.list()).map(r => r.id),
    [second.id, first.id, oldId]
  );
  assert.equal((await engine.get(oldId)).status, 'succeeded');
  assert.deepEqual(await engine.list({ notebookPath: '/elsewhere.ipynb' }), []);
});

test('logs and artifacts are read through the engine; a path the run does not list is refused', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'files.ipynb', [
    [
      ['step:only'],
      "console.log('hello');\nrequire('node:fs').writeFileSync(process.env.CELLFLOW_ARTIFACTS_DIR + '/out.txt', 'data');"
    ]
  ]);
  const run = await submit(path);
  const record = await run.done;
  const engine = new LocalEngine(dir);
  assert.equal((await engine.logs(run.id, 'only')).stdout, 'hello\n');
  const [artifact] = record.artifacts;
  assert.equal(Buffer.from((await engine.artifact(run.id, artifact)).bytes).toString(), 'data');
  for (const bad of ['run.json', '../run.json', 'steps/only/stdout.log']) {
    await assert.rejects(
      engine.artifact(run.id, bad),
      (e: unknown) => e instanceof CellflowError && e.diagnostic.code === 'unknown-artifact'
    );
  }
  await assert.rejects(
    engine.logs(run.id, 'nope'),
    (e: unknown) => e instanceof CellflowError && e.diagnostic.code === 'unknown-step'
  );
  await assert.rejects(
    engine.get('../..'),
    (e: unknown) => e instanceof CellflowError && e.diagnostic.code === 'unknown-run'
  );
});

test('Ctrl-C in `cellflow run` cancels the run cleanly: a final record, exit 130, no step left', async () => {
  const dir = makeWorkspace();
  const pidFile = join(dir, 'step.pid');
  const path = writeNotebook(dir, 'interrupt.ipynb', [[['step:slow'], PID_THEN_WAIT(pidFile)]]);
  const child = cliInBackground(['run', path]);
  const exited = new Promise<number | null>(resolve => child.on('close', resolve));
  const pid = await waitFor(
    () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined),
    'the step'
  );
  child.kill('SIGINT');
  assert.equal(await exited, 130);
  const [record] = await new LocalEngine(dir).list();
  assert.equal(record.status, 'cancelled');
  assert.equal(record.steps.slow.status, 'cancelled');
  await waitFor(() => (alive(pid) ? undefined : true), 'the step process to exit', 10_000);
});

test('submit checks the parameter values before anything runs: missing, unknown and mistyped ones are refused', async () => {
  const dir = makeWorkspace();
  const path = writeNotebook(dir, 'params.ipynb', [
    [['pipeline-parameters'], 'const rate = 0.5;\nconst label = "a";'],
    [['step:use'], 'const out = rate * 2 + label.length;']
  ]);
  const compiled = await compileNotebookFile(path);
  const engine = new LocalEngine(dir);
  const refusal = async (parameters: Record<string, unknown>) => {
    try {
      await engine.submit(compiled, { parameters: parameters as never });
    } catch (error) {
      assert.ok(error instanceof CellflowError, String(error));
      return error.diagnostic.code;
    }
    assert.fail('submitted');
  };
  assert.equal(await refusal({ rate: 0.1 }), 'missing-parameter-value');
  assert.equal(await refusal({ rate: 0.1, label: 'b', other: 1 }), 'unknown-parameter');
  assert.equal(await refusal({ rate: 'fast', label: 'b' }), 'bad-parameter-value');
  assert.deepEqual(new RunStore(dir).listRuns(), [], 'no run was made for a refused submit');
  const run = await (await engine.submit(compiled, { parameters: { rate: 0.1, label: 'bc' } })).done;
  assert.equal(run.status, 'succeeded', JSON.stringify(run.steps));
});
