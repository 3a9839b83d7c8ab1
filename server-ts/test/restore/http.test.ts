/** `POST /api/restore` against the real server: a run restored by path, bad bodies 400, paths outside the root 403. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { compileNotebookFile } from '../../src/compile/index.js';
import { LocalEngine } from '../../src/engine/local/engine.js';
import { createServer, type CellflowServer } from '../../src/http/index.js';
import { RestoreResponseSchema } from '../../src/http/schemas/restore.js';
import { makeWorkspace, writeNotebook } from '../notebooks.js';
import { request } from '../http/api-client.js';

const SECRET = 'restore-test-secret';

describe('POST /api/restore', () => {
  let dir: string;
  let server: CellflowServer;
  let runId: string;
  const post = (json: unknown) => request(server, 'POST', '/api/restore', { json, secret: SECRET });

  before(async () => {
    dir = makeWorkspace('restore-http-');
    const path = writeNotebook(dir, 'small.ipynb', [
      [['pipeline-parameters'], 'const n = 2;'],
      [['step:make'], 'const xs = Array.from({ length: n }, (_, i) => i);'],
      [['step:sum', 'prev:make'], 'const total = xs.reduce((a, b) => a + b, 0);']
    ]);
    const run = await (
      await new LocalEngine(dir).submit(await compileNotebookFile(path), { parameters: { n: 2 } })
    ).done;
    runId = run.id;
    server = await createServer({ root: dir, port: 0, secret: SECRET, log: () => {} });
  });
  after(() => server.close());

  test('restores the run into a folder named relative to the root', async () => {
    const reply = await post({ path: 'small.ipynb', run: runId, step: 'make' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual([...Value.Errors(RestoreResponseSchema, reply.body)].slice(0, 3), []);
    assert.equal(reply.body.folder, `restored/small-${runId.slice(0, 10)}-make`);
    assert.equal(reply.body.notebook, `${reply.body.folder}/small.ipynb`);
    assert.deepEqual(reply.body.values, ['xs']);
    assert.ok(existsSync(join(dir, reply.body.folder, '.cellflow-restore', 'restore.json')));
  });

  test('bad bodies are 400, unknown runs 404, paths outside the root 403', async () => {
    assert.equal((await post({ path: 'small.ipynb' })).status, 400);
    assert.equal((await post({ path: 'small.ipynb', run: runId, experiment: 'x' })).status, 400);
    assert.equal((await post({ path: 'small.ipynb', run: runId, extra: 1 })).status, 400);
    const unknown = await post({ path: 'small.ipynb', run: '01NOSUCHRUN' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'unknown-run');
    const outside = await post({ path: '../elsewhere.ipynb', run: runId });
    assert.equal(outside.status, 403);
    assert.equal((await post({ path: '/etc/passwd', run: runId })).status, 403);
  });
});
