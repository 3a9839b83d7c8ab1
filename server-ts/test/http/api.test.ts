/**
 * The HTTP API against the real server functions: the analysis process analyzes, compiles and annotates real
 * notebooks, and the local engine runs them. Every route, bad bodies, refused paths, SSE resume, cancel,
 * artifacts' content types.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { LocalEngine } from '../../src/engine/local/engine.js';
import type { Engine } from '../../src/engine/types.js';
import { createServer, type CellflowServer } from '../../src/http/index.js';
import { CompileResponseSchema, ProposalSchema } from '../../src/http/schemas/api.js';
import { PipelineIRSchema } from '../../src/http/schemas/ir.js';
import { RunViewSchema, SequencedRunEventSchema } from '../../src/http/schemas/runs.js';
import { makeWorkspace, notebookJson, writeNotebook, type CellSpec } from '../notebooks.js';
import { openEvents, request, type SseFrame } from './api-client.js';

const SECRET = 'api-test-secret';
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];

const PIPELINE: CellSpec[] = [
  [['imports'], "import * as tslab from 'tslab';"],
  [['pipeline-parameters'], 'let n = 3;'],
  [
    ['step:make'],
    `const xs = Array.from({ length: n }, (_, i) => i);\nconsole.log('made ' + xs.length);\n` +
      `tslab.display.png(new Uint8Array(${JSON.stringify(PNG)}));\ntslab.display.html('<b>' + xs.length + '</b>');`
  ],
  [['step:total', 'prev:make'], "const total = xs.reduce((a, b) => a + b, 0);\nconsole.log('total ' + total);"],
  [['pipeline-metrics'], 'total;']
];

const SLOW: CellSpec[] = [
  [['step:wait'], 'await new Promise(resolve => setTimeout(resolve, 120_000));\nconst waited = 1;'],
  [['step:after', 'prev:wait'], 'console.log(waited);']
];

const UNTAGGED: CellSpec[] = [
  [[], 'const a = [1, 2, 3];'],
  [[], 'const b = a.map(x => x * 2);'],
  [[], 'console.log(b);']
];

/** Aborts seen by the engine's event iterators: the wrapper delegates everything to the local engine. */
const abortsSeen: AbortSignal[] = [];
function watchedEngine(dir: string): Engine {
  const engine = new LocalEngine(dir, { killGraceMs: 500 });
  return Object.assign(Object.create(engine) as Engine, {
    events: (runId: string, afterSeq?: number, signal?: AbortSignal) => {
      if (signal) abortsSeen.push(signal);
      return engine.events(runId, afterSeq, signal);
    }
  });
}

const post = (server: CellflowServer, path: string, json: unknown) =>
  request(server, 'POST', path, { json, secret: SECRET });
const get = (server: CellflowServer, path: string, headers?: Record<string, string>) =>
  request(server, 'GET', path, { secret: SECRET, headers });

function assertSchema(schema: TSchema, value: unknown, what: string) {
  const errors = [...Value.Errors(schema, value)].slice(0, 3);
  assert.deepEqual(errors, [], `${what} does not match its schema`);
}

const parsed = (frames: SseFrame[]) => frames.map(frame => JSON.parse(frame.data));

describe('the HTTP API on real notebooks', () => {
  let dir: string;
  let server: CellflowServer;

  before(async () => {
    dir = makeWorkspace('api-');
    writeNotebook(dir, 'pipeline.ipynb', PIPELINE);
    writeNotebook(dir, 'slow.ipynb', SLOW);
    writeNotebook(dir, 'untagged.ipynb', UNTAGGED);
    mkdirSync(join(dir, 'loop'));
    symlinkSync(join(dir, 'loop', 'b'), join(dir, 'loop', 'a'));
    symlinkSync(join(dir, 'loop', 'a'), join(dir, 'loop', 'b'));
    server = await createServer({
      root: dir,
      port: 0,
      secret: SECRET,
      engineFor: watchedEngine,
      heartbeatMs: 200,
      log: () => {}
    });
  });
  after(() => server.close());

  test('POST /api/analyze by path answers the IR; by unsaved cells, their diagnostics on the right cell', async () => {
    const saved = await post(server, '/api/analyze', { path: 'pipeline.ipynb' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assertSchema(PipelineIRSchema, saved.body, 'the IR');
    assert.deepEqual(
      saved.body.steps.map((s: { name: string }) => s.name),
      ['make', 'total']
    );
    assert.deepEqual(saved.body.steps[1].ins, [{ name: 'xs', from: 'make' }]);

    const cells = notebookJson([
      ...PIPELINE.slice(0, 3),
      [['step:total', 'prev:make'], 'const total = ys.length;']
    ]).cells;
    const unsaved = await post(server, '/api/analyze', { path: 'pipeline.ipynb', cells });
    assert.equal(unsaved.status, 200);
    const undefinedName = unsaved.body.diagnostics.find((d: { message: string }) => /\bys\b/.test(d.message));
    assert.ok(undefinedName, JSON.stringify(unsaved.body.diagnostics));
    assert.equal(undefinedName.cellIndex, 3);
    assert.equal(undefinedName.severity, 'error');
    // The file on disk is untouched, and still analyzes clean.
    const again = await post(server, '/api/analyze', { path: 'pipeline.ipynb' });
    assert.deepEqual(again.body, saved.body);
  });

  test('POST /api/compile writes the programs as `cellflow compile` does; refused, it says why', async () => {
    const compiled = await post(server, '/api/compile', { path: 'pipeline.ipynb' });
    assert.equal(compiled.status, 200, JSON.stringify(compiled.body));
    assertSchema(CompileResponseSchema, compiled.body, 'the compile answer');
    assert.equal(compiled.body.pipelineName, 'pipeline');
    assert.deepEqual(compiled.body.steps, ['make', 'total']);
    assert.equal(compiled.body.programDir, '.cellflow/compiled/pipeline');
    assert.ok(existsSync(join(dir, compiled.body.programDir, 'plan.json')));

    const broken = notebookJson([[['step:only'], 'const y = missingName + 1;']]).cells;
    const refused = await post(server, '/api/compile', { path: 'pipeline.ipynb', cells: broken });
    assert.equal(refused.status, 200);
    assert.equal(refused.body.programDir, undefined);
    assert.ok(refused.body.diagnostics.some((d: { severity: string }) => d.severity === 'error'));
    assert.deepEqual(refused.body.steps, ['only']);
  });

  test("POST /api/annotate answers `cellflow annotate --json`'s proposal and writes nothing", async () => {
    const before = readFileSync(join(dir, 'untagged.ipynb'), 'utf8');
    const reply = await post(server, '/api/annotate', { path: 'untagged.ipynb' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assertSchema(ProposalSchema, reply.body, 'the proposal');
    assert.ok(['split', 'one-step'].includes(reply.body.outcome), reply.body.outcome);
    assert.ok(reply.body.cells.length > 0);
    assert.equal(readFileSync(join(dir, 'untagged.ipynb'), 'utf8'), before);
  });

  test('bad bodies answer 400 with a message saying what is wrong', async () => {
    for (const [route, body, mentions] of [
      ['/api/analyze', { path: 'pipeline.ipynb', cells: 'all of them' }, /cells/],
      ['/api/analyze', { path: 'pipeline.ipynb', cells: [{ cell_type: 'code', source: 3 }] }, /source/],
      ['/api/analyze', { path: 'pipeline.ipynb', extra: true }, /additional/],
      ['/api/runs', { path: 'pipeline.ipynb', parameters: { n: { nested: 1 } } }, /parameters/],
      ['/api/runs', { path: 'pipeline.ipynb', concurrency: 0 }, /concurrency/],
      ['/api/runs', { path: 'pipeline.ipynb', useCache: 'yes' }, /useCache/],
      ['/api/runs', { path: 'pipeline.ipynb', only: [] }, /only/]
    ] as const) {
      const reply = await post(server, route, body);
      assert.equal(reply.status, 400, `${route} ${JSON.stringify(body)}`);
      assert.equal(reply.body.error.code, 'invalid-request');
      assert.match(reply.body.error.message, mentions);
      assert.ok(reply.body.error.hint);
    }
    const wrongType = await post(server, '/api/runs', { path: 'pipeline.ipynb', parameters: { n: 'three' } });
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.error.code, 'bad-parameter-value');
    const unknown = await post(server, '/api/runs', { path: 'pipeline.ipynb', parameters: { m: 1 } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'unknown-parameter');
  });

  test('refused paths: outside the root 403, a symlink loop and an over-long path 4xx, never a server path', async () => {
    const cases: [string, string, number, string][] = [
      ['POST', '/api/analyze', 403, '../outside.ipynb'],
      ['POST', '/api/compile', 403, '/etc/passwd'],
      ['POST', '/api/annotate', 400, 'loop/a'],
      ['POST', '/api/runs', 400, `${'x'.repeat(300)}.ipynb`],
      ['POST', '/api/analyze', 400, `${'deep/'.repeat(1000)}nb.ipynb`]
    ];
    for (const [method, route, status, notebook] of cases) {
      const reply = await request(server, method, route, { json: { path: notebook }, secret: SECRET });
      assert.equal(reply.status, status, `${route} ${notebook.slice(0, 40)}: ${JSON.stringify(reply.body)}`);
      assert.ok(reply.body.error.code && reply.body.error.message && reply.body.error.hint);
      assert.ok(!reply.raw.toString().includes(dir), 'the answer names no server path');
    }
    const listed = await get(server, '/api/runs?path=../elsewhere.ipynb');
    assert.equal(listed.status, 403);
    assert.equal(listed.body.error.code, 'path-outside-root');
  });

  test('a run: 201 RunView, events from the start to run-finished, resumed after Last-Event-ID exactly', async () => {
    const created = await post(server, '/api/runs', { path: 'pipeline.ipynb', parameters: { n: 4 }, useCache: false });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertSchema(RunViewSchema, created.body, 'the created run');
    const run = created.body;
    assert.equal(run.notebookPath, 'pipeline.ipynb');
    assert.deepEqual(run.parameters, { n: 4 });
    assert.equal(run.dir, undefined, 'no server folder in the answer');

    const stream = await openEvents(server, `/api/runs/${run.id}/events`, { secret: SECRET });
    assert.equal(stream.status, 200);
    assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
    const all = await stream.frames;
    const events = parsed(all);
    for (const event of events) assertSchema(SequencedRunEventSchema, event, 'an event');
    assert.deepEqual(
      events.map(e => e.seq),
      events.map((_, i) => i + 1),
      'seq counts from 1 with no gaps'
    );
    assert.deepEqual(
      all.map(f => [f.id, f.event]),
      events.map(e => [String(e.seq), e.event.type])
    );
    const last = events.at(-1);
    assert.equal(last.event.type, 'run-finished');
    assert.equal(last.event.record.status, 'succeeded', JSON.stringify(last.event.record.steps));
    assert.ok(events.some(e => e.event.type === 'step-log' && e.event.line === 'total 6'));

    // Resumed: exactly the events after the one named, by header or by query.
    const cut = Math.floor(events.length / 2);
    const resumed = await openEvents(server, `/api/runs/${run.id}/events`, {
      secret: SECRET,
      headers: { 'Last-Event-ID': String(cut) }
    });
    assert.deepEqual(parsed(await resumed.frames), events.slice(cut));
    const byQuery = await openEvents(server, `/api/runs/${run.id}/events?after=${events.length - 1}`, {
      secret: SECRET
    });
    assert.deepEqual(parsed(await byQuery.frames), events.slice(-1));
    const badId = await get(server, `/api/runs/${run.id}/events`, { 'Last-Event-ID': 'yesterday' });
    assert.equal(badId.status, 400);

    // Get, list, logs, metrics.
    const got = await get(server, `/api/runs/${run.id}`);
    assert.equal(got.status, 200);
    assertSchema(RunViewSchema, got.body, 'the run');
    assert.equal(got.body.status, 'succeeded');
    assert.equal(got.body.metrics.total, 6);
    const listed = await get(server, '/api/runs?path=pipeline.ipynb');
    assert.equal(listed.status, 200);
    assert.ok(listed.body.runs.some((r: { id: string }) => r.id === run.id));
    const logs = await get(server, `/api/runs/${run.id}/logs/total`);
    assert.equal(logs.status, 200);
    assert.match(logs.body.stdout, /^total 6$/m);
    assert.equal((await get(server, `/api/runs/${run.id}/logs/nothing`)).body.error.code, 'unknown-step');

    // Artifacts with their content types; HTML sandboxed; anything unlisted 404.
    const byType = new Map(got.body.displays.map((d: { mimeType: string; path: string }) => [d.mimeType, d.path]));
    const png = await get(server, `/api/runs/${run.id}/artifacts/${byType.get('image/png')}`);
    assert.equal(png.status, 200);
    assert.equal(png.headers['content-type'], 'image/png');
    assert.equal(png.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual([...png.raw], PNG);
    const html = await get(server, `/api/runs/${run.id}/artifacts/${byType.get('text/html')}`);
    assert.equal(html.status, 200);
    assert.match(String(html.headers['content-type']), /^text\/html/);
    assert.equal(html.headers['content-security-policy'], 'sandbox');
    assert.equal(html.raw.toString(), '<b>4</b>');
    const unlisted = await get(server, `/api/runs/${run.id}/artifacts/run.json`);
    assert.equal(unlisted.status, 404);
    assert.equal(unlisted.body.error.code, 'unknown-artifact');
    assert.equal((await get(server, '/api/runs/01NOSUCHRUN0000000000000000')).status, 404);

    // A partial run: `only` reaches the engine, which takes the rest from this run's results.
    const partial = await post(server, '/api/runs', { path: 'pipeline.ipynb', parameters: { n: 4 }, only: ['total'] });
    assert.equal(partial.status, 201, JSON.stringify(partial.body));
    assert.deepEqual(partial.body.selection, { only: ['total'] });
    const partialEvents = parsed(
      await (
        await openEvents(server, `/api/runs/${partial.body.id}/events`, { secret: SECRET })
      ).frames
    );
    const partialRecord = partialEvents.at(-1).event.record;
    assert.equal(partialRecord.status, 'succeeded', JSON.stringify(partialRecord.steps));
    assert.ok(partialRecord.steps.make.reusedFrom, JSON.stringify(partialRecord.steps.make));
    const notAStep = await post(server, '/api/runs', { path: 'pipeline.ipynb', only: ['nope'] });
    assert.equal(notAStep.status, 400, JSON.stringify(notAStep.body));
    assert.equal(notAStep.body.error.code, 'step-not-in-pipeline');

    // A run once finished: cancelling it changes nothing.
    const cancelled = await post(server, `/api/runs/${run.id}/cancel`, undefined);
    assert.equal(cancelled.status, 202);
    assert.equal((await get(server, `/api/runs/${run.id}`)).body.status, 'succeeded');
  });

  test('cancel stops a running run; a client that leaves aborts its event iterator', async () => {
    const created = await post(server, '/api/runs', { path: 'slow.ipynb' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;

    // A client that goes away: the engine's iterator is told through its signal.
    const seen = abortsSeen.length;
    const leaving = await openEvents(server, `/api/runs/${id}/events`, { secret: SECRET });
    const started = new Promise<void>(resolve => leaving.onFrame(() => resolve()));
    await started;
    const signal = abortsSeen[seen];
    assert.ok(signal);
    const abortedNow = new Promise<void>(resolve => signal.addEventListener('abort', () => resolve()));
    leaving.close();
    await abortedNow;

    // Heartbeats flow while nothing happens; cancel ends the run and the stream.
    const watching = await openEvents(server, `/api/runs/${id}/events`, { secret: SECRET });
    const heartbeat = new Promise<void>(resolve => {
      const check = setInterval(() => {
        if (watching.comments.includes('heartbeat')) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    await heartbeat;
    const cancel = await post(server, `/api/runs/${id}/cancel`, undefined);
    assert.equal(cancel.status, 202);
    assert.deepEqual(cancel.body, { cancelled: true });
    const events = parsed(await watching.frames);
    const last = events.at(-1);
    assert.equal(last.event.type, 'run-finished');
    assert.equal(last.event.record.status, 'cancelled');
  });

  test('a notebook with errors does not run: 422 notebook-has-errors with every error', async () => {
    writeNotebook(dir, 'broken.ipynb', [[['step:only'], 'const y = missingName + 1;']]);
    const reply = await post(server, '/api/runs', { path: 'broken.ipynb' });
    assert.equal(reply.status, 422);
    assert.equal(reply.body.error.code, 'notebook-has-errors');
    assert.ok(reply.body.error.diagnostics.length >= 1);
  });
});

describe('limits', () => {
  let dir: string;
  let server: CellflowServer;
  before(async () => {
    dir = makeWorkspace('api-limits-');
    server = await createServer({ root: dir, port: 0, secret: SECRET, log: () => {} });
  });
  after(() => server.close());

  test('a 22 MB notebook being analyzed does not stall /api/health', async () => {
    // One step, its cell carrying 22 MB of outputs: the analysis process reads and parses all of it.
    const notebook = notebookJson([[['step:big'], 'const big = 1;']]);
    const output = { output_type: 'stream', name: 'stdout', text: ['x'.repeat(1000) + '\n'] };
    (notebook.cells[0] as Record<string, unknown>).outputs = Array.from({ length: 22_000 }, () => output);
    writeFileSync(join(dir, 'big.ipynb'), JSON.stringify(notebook));
    const order: string[] = [];
    const big = post(server, '/api/analyze', { path: 'big.ipynb' }).then(reply => {
      order.push('analysis');
      return reply;
    });
    for (let i = 0; i < 3; i++) {
      const health = await get(server, '/api/health');
      assert.equal(health.status, 200);
      order.push('health');
    }
    const reply = await big;
    assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 300));
    assert.deepEqual(
      reply.body.steps.map((s: { name: string }) => s.name),
      ['big']
    );
    assert.deepEqual(order.slice(0, 3), ['health', 'health', 'health'], 'health answered while the analysis ran');
  });

  test('20,000 tags on a cell are read within the analysis time limit, health answering meanwhile', async () => {
    const tags = ['step:tagged', ...Array.from({ length: 10_000 }, (_, i) => `label:k${i}:v`)];
    tags.push(...Array.from({ length: 10_000 }, (_, i) => `limit:r${i}:1`));
    writeNotebook(dir, 'tags.ipynb', [[tags, 'const t = 1;']]);
    const analysis = post(server, '/api/analyze', { path: 'tags.ipynb' });
    assert.equal((await get(server, '/api/health')).status, 200);
    const reply = await analysis;
    assert.equal(reply.status, 200, JSON.stringify(reply.body).slice(0, 300));
    const step = reply.body.steps[0];
    assert.equal(Object.keys(step.settings.labels).length, 10_000);
    assert.equal(Object.keys(step.settings.limits).length, 10_000);
  });

  test('an oversized body answers a coded 413', async () => {
    const small = await createServer({ root: dir, port: 0, secret: SECRET, maxBodyBytes: 1024, log: () => {} });
    try {
      const cells = notebookJson([[['step:a'], 'x'.repeat(4096)]]).cells;
      const reply = await post(small, '/api/analyze', { path: 'tags.ipynb', cells });
      assert.equal(reply.status, 413);
      assert.equal(reply.body.error.code, 'body-too-large');
    } finally {
      await small.close();
    }
  });

  test('the socket timeouts are set, and a half-open connection is closed by the server', async () => {
    assert.ok(server.httpServer.timeout > 0, 'connection (idle socket) timeout');
    assert.ok(server.httpServer.requestTimeout > 0);
    assert.ok(server.httpServer.keepAliveTimeout > 0);
    const short = await createServer({
      root: dir,
      port: 0,
      secret: SECRET,
      timeouts: { connection: 300, request: 300 },
      log: () => {}
    });
    try {
      // A request that never finishes its headers, from a client that never closes: the server ends it.
      const socket = connect(short.port, short.host);
      socket.on('error', () => undefined);
      socket.on('data', () => undefined);
      await once(socket, 'connect');
      socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
      await once(socket, 'close');
      assert.ok(socket.destroyed);
    } finally {
      await short.close();
    }
  });
});
