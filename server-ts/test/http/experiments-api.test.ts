/**
 * Experiments and the snapshot store over HTTP, against the real server: the analysis process compiles the tuned
 * notebook and the local engine runs its trials. Start, list, get, cancel, resume; a bad spec, an unknown id and a
 * path outside the root refused with their codes; the store listed and gc's dry run.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { createServer, type CellflowServer } from '../../src/http/index.js';
import { ExperimentViewSchema, GcReportSchema, SnapshotListSchema } from '../../src/http/schemas/experiments.js';
import { realFs } from '../../src/snapshots/index.js';
import { StoreLayout } from '../../src/snapshots/store-layout.js';
import { withStoreLock } from '../../src/snapshots/store-lock.js';
import { makeWorkspace, writeNotebook, type CellSpec } from '../notebooks.js';
import { request } from './api-client.js';

const SECRET = 'experiments-api-secret';
const post = (server: CellflowServer, path: string, json: unknown) =>
  request(server, 'POST', path, { json, secret: SECRET });
const get = (server: CellflowServer, path: string) => request(server, 'GET', path, { secret: SECRET });

function assertSchema(schema: TSchema, value: unknown, what: string) {
  assert.deepEqual([...Value.Errors(schema, value)].slice(0, 3), [], `${what} does not match its schema`);
}

/** A notebook tuning `x` (loss (x - 3)²); its step waits until the file `gate` exists (outside the workspace). */
function tunedNotebook(dir: string, name: string, katib: unknown, gate?: string): void {
  const cells: CellSpec[] = [
    [['imports'], "import * as fs from 'node:fs';"],
    [['pipeline-parameters'], `let x = 0;\nlet gate = ${JSON.stringify(gate ?? '')};`],
    [
      ['step:score'],
      'while (gate !== "" && !fs.existsSync(gate)) await new Promise(resolve => setTimeout(resolve, 50));\n' +
        'const loss = (x - 3) ** 2;'
    ],
    [['pipeline-metrics'], 'loss']
  ];
  const path = writeNotebook(dir, name, cells);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  json.metadata.cellflow = { katib_metadata: katib };
  writeFileSync(path, JSON.stringify(json));
}

const GRID = {
  objective: { type: 'minimize', objectiveMetricName: 'loss' },
  algorithm: { algorithmName: 'grid' },
  parallelTrialCount: 1,
  parameters: [{ name: 'x', parameterType: 'int', feasibleSpace: { min: '1', max: '5' } }]
};

/** Asks until the experiment is no longer running here (or `until` holds); the test's own timeout bounds it. */
async function waitFor(server: CellflowServer, id: string, notebook: string, until = (e: any) => !e.running) {
  for (;;) {
    const reply = await get(server, `/api/experiments/${id}?path=${notebook}`);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    if (until(reply.body)) return reply.body;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe('experiments and snapshots over HTTP', () => {
  let dir: string;
  let gates: string;
  let server: CellflowServer;

  before(async () => {
    dir = makeWorkspace('experiments-api-');
    gates = makeWorkspace('experiments-api-gates-');
    tunedNotebook(dir, 'tune.ipynb', GRID);
    tunedNotebook(dir, 'other.ipynb', GRID);
    // The gate is an override of the request, not the notebook's value: resume must keep it.
    tunedNotebook(dir, 'gated.ipynb', { ...GRID, maxTrialCount: 2 });
    tunedNotebook(dir, 'bad.ipynb', {
      objective: { type: 'minimize', objectiveMetricName: 'accuracy' },
      algorithm: { algorithmName: 'tpe' },
      maxTrialCount: 4,
      parameters: [{ name: 'rate', parameterType: 'double', feasibleSpace: { min: '0', max: '1' } }]
    });
    server = await createServer({ root: dir, port: 0, secret: SECRET, heartbeatMs: 200, log: () => {} });
  });
  after(() => server.close());

  test('POST /api/experiments runs the trials in the background; GET lists and shows it, newest first', async () => {
    const created = await post(server, '/api/experiments', { path: 'tune.ipynb', maxTrialCount: 3 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertSchema(ExperimentViewSchema, created.body, 'the new experiment');
    assert.equal(created.body.status, 'running');
    assert.equal(created.body.running, true);
    assert.equal(created.body.notebookPath, 'tune.ipynb');
    assert.equal(created.body.spec.maxTrialCount, 3);

    const final = await waitFor(server, created.body.id, 'tune.ipynb');
    assertSchema(ExperimentViewSchema, final, 'the finished experiment');
    assert.equal(final.status, 'succeeded');
    assert.equal(final.reason, 'max-trials');
    assert.deepEqual(
      final.trials.map((t: any) => [t.assignment.x, t.status, t.objective]),
      [
        [1, 'succeeded', 4],
        [2, 'succeeded', 1],
        [3, 'succeeded', 0]
      ]
    );
    assert.equal(final.bestTrial, 2);
    // The same record `cellflow tune` writes and `cellflow experiments` reads.
    const onDisk = JSON.parse(readFileSync(join(dir, '.cellflow/experiments', final.id, 'experiment.json'), 'utf8'));
    assert.equal(onDisk.status, 'succeeded');
    assert.deepEqual(onDisk.trials, final.trials);

    const second = await post(server, '/api/experiments', { path: 'tune.ipynb', maxTrialCount: 1 });
    assert.equal(second.status, 201);
    await waitFor(server, second.body.id, 'tune.ipynb');
    const other = await post(server, '/api/experiments', { path: 'other.ipynb', maxTrialCount: 1 });
    assert.equal(other.status, 201);
    await waitFor(server, other.body.id, 'other.ipynb');

    const listed = await get(server, '/api/experiments?path=tune.ipynb');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.experiments.map((e: any) => e.id),
      [second.body.id, final.id],
      "the notebook's own experiments, newest first"
    );
    for (const e of listed.body.experiments) assertSchema(ExperimentViewSchema, e, 'a listed experiment');
    assert.deepEqual(listed.body.unreadable, []);
    // Another notebook's experiment is not this one's.
    const elsewhere = await get(server, `/api/experiments/${other.body.id}?path=tune.ipynb`);
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.error.code, 'unknown-experiment');
  });

  test('cancel stops the trials (resumable); resume runs what was left, no trial lost or run twice', async () => {
    const gate = join(gates, 'go');
    const created = await post(server, '/api/experiments', { path: 'gated.ipynb', parameters: { gate } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    await waitFor(server, id, 'gated.ipynb', e => e.trials.some((t: any) => t.runId !== null));

    const cancelled = await post(server, `/api/experiments/${id}/cancel?path=gated.ipynb`, {});
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.running, false);
    assert.deepEqual(
      cancelled.body.trials.map((t: any) => [t.number, t.status]),
      [[0, 'cancelled']]
    );

    const again = await post(server, `/api/experiments/${id}/cancel?path=gated.ipynb`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'experiment-not-running');
    assert.match(again.body.error.hint, /resume/);

    writeFileSync(join(gates, 'go'), '');
    const resumed = await post(server, `/api/experiments/${id}/resume?path=gated.ipynb`, {});
    assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
    assert.equal(resumed.body.running, true);
    const twice = await post(server, `/api/experiments/${id}/resume?path=gated.ipynb`, {});
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'experiment-already-running');

    const final = await waitFor(server, id, 'gated.ipynb');
    assert.equal(final.status, 'succeeded');
    assert.deepEqual(final.baseParameters, { x: 0, gate });
    // Every trial's run, the one resumed too, ran with the override.
    for (const trial of final.trials) {
      const run = await get(server, `/api/runs/${trial.runId}?path=gated.ipynb`);
      assert.equal(run.status, 200, JSON.stringify(run.body));
      assert.equal(run.body.parameters.gate, gate);
    }
    assert.deepEqual(
      final.trials.map((t: any) => [t.number, t.assignment.x, t.status, t.objective]),
      [
        [0, 1, 'succeeded', 4],
        [1, 2, 'succeeded', 1]
      ]
    );
  });

  test('a bad spec is refused with each of its errors; unknown ids and paths outside the root are not found', async () => {
    const bad = await post(server, '/api/experiments', { path: 'bad.ipynb' });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal(bad.body.error.code, 'tune-spec-has-errors');
    const codes = bad.body.error.diagnostics.map((d: any) => d.code);
    assert.ok(codes.includes('tune-unknown-metric'), JSON.stringify(codes));
    assert.ok(!JSON.stringify(bad.body).includes(dir), 'no server path in the answer');

    const unknown = await get(server, '/api/experiments/01HZZZZZZZZZZZZZZZZZZZZZZZ?path=tune.ipynb');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown-experiment');
    assert.ok(!JSON.stringify(unknown.body).includes(dir), 'no server path in the answer');
    const cancelUnknown = await post(server, '/api/experiments/nope/cancel?path=tune.ipynb', {});
    assert.equal(cancelUnknown.status, 404);

    // JupyterLab's ServerConnection adds a cache-busting key to every GET: the queries take it.
    const busted = await get(server, '/api/experiments?path=tune.ipynb&1764876543210');
    assert.equal(busted.status, 200, JSON.stringify(busted.body));
    const stateCode = await get(server, '/api/restore/state-code?path=tune.ipynb&kernel=tslab&1764876543210');
    assert.equal(stateCode.body.error?.code, 'not-a-restored-notebook', JSON.stringify(stateCode.body));

    const outside = await get(server, '/api/experiments?path=../elsewhere/tune.ipynb');
    assert.equal(outside.status, 403);
    assert.equal(outside.body.error.code, 'path-outside-root');
    const outsidePost = await post(server, '/api/experiments', { path: '../elsewhere/tune.ipynb' });
    assert.equal(outsidePost.status, 403);
    const gcOutside = await post(server, '/api/gc', { path: '../elsewhere/tune.ipynb', dryRun: true });
    assert.equal(gcOutside.status, 403);
  });

  test('GET /api/snapshots lists the store with what references each snapshot; gc dry run keeps them all, a busy store refuses gc', async () => {
    const listed = await get(server, '/api/snapshots?path=tune.ipynb');
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assertSchema(SnapshotListSchema, listed.body, 'the snapshot list');
    assert.ok(listed.body.snapshots.length > 0, 'the trials took snapshots');
    assert.ok(listed.body.store.objects > 0 && listed.body.store.bytes > 0, JSON.stringify(listed.body.store));
    // Every snapshot here was taken by a trial's run, so a run (and the experiment) names it.
    for (const s of listed.body.snapshots)
      assert.ok(
        s.referencedBy.some((r: any) => r.kind === 'run'),
        s.id
      );
    assert.ok(listed.body.snapshots.some((s: any) => s.referencedBy.some((r: any) => r.kind === 'experiment')));
    // What each is, as the records say: the workspace before a run, and the step's folder and workspace after it.
    const refs = listed.body.snapshots.flatMap((s: any) => s.referencedBy);
    assert.ok(refs.some((r: any) => r.kind === 'run' && r.of === 'run' && r.step === undefined));
    assert.ok(refs.some((r: any) => r.kind === 'run' && r.of === 'step' && r.step === 'score'));
    assert.ok(refs.some((r: any) => r.kind === 'experiment' && r.of === 'step' && r.step === 'score'));

    const dry = await post(server, '/api/gc', { path: 'tune.ipynb', dryRun: true });
    assert.equal(dry.status, 200, JSON.stringify(dry.body));
    assertSchema(GcReportSchema, dry.body, 'the gc report');
    assert.equal(dry.body.dryRun, true);
    assert.deepEqual(dry.body.removedSnapshots, []);
    assert.deepEqual(dry.body.kept, listed.body.snapshots.map((s: any) => s.id).sort());

    // A snapshot being taken holds the store's lock: gc is refused, nothing removed.
    const busy = await withStoreLock(realFs, new StoreLayout(dir), () =>
      post(server, '/api/gc', { path: 'tune.ipynb', dryRun: false })
    );
    assert.equal(busy.status, 409, JSON.stringify(busy.body));
    assert.equal(busy.body.error.code, 'snapshot-store-busy');
    assert.ok(!JSON.stringify(busy.body).includes(dir), 'no server path in the answer');

    const first = listed.body.snapshots[0].id;
    const pinned = await post(server, `/api/snapshots/${first.slice(0, 12)}/pin`, { path: 'tune.ipynb' });
    assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
    assert.deepEqual(pinned.body, { id: first, pinned: true });
    const after = await get(server, '/api/snapshots?path=tune.ipynb');
    assert.equal(after.body.snapshots.find((s: any) => s.id === first).pinned, true);
    const unpinned = await post(server, `/api/snapshots/${first}/unpin`, { path: 'tune.ipynb' });
    assert.deepEqual(unpinned.body, { id: first, pinned: false });
  });
});
