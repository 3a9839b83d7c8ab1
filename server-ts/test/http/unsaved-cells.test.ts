/**
 * The editor's live analysis: `POST /api/analyze` and `/api/annotate` with the notebook's unsaved cells, answered
 * by the real analysis process, under the saved file's metadata (kernel, settings).
 */
import assert from 'node:assert/strict';
import { mkdtemp, realpath, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AnalysisProcess } from '../../src/analysis-process/index.js';
import { createServer, SECRET_HEADER, type CellflowServer } from '../../src/http/index.js';
import { notebookJson } from '../notebooks.js';

const SECRET = 'unsaved-cells-secret';

function post(server: CellflowServer, route: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: server.host,
        port: server.port,
        method: 'POST',
        path: route,
        headers: { [SECRET_HEADER]: SECRET, 'Content-Type': 'application/json' }
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
        );
      }
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('analysis of unsaved cells', () => {
  let server: CellflowServer;
  let analysis: AnalysisProcess;
  const saved = notebookJson([
    [['step:a'], 'const a = 1;'],
    [['step:b', 'prev:a'], 'const b = a + 1;']
  ]);

  before(async () => {
    const root = await realpath(await mkdtemp(path.join(tmpdir(), 'cellflow-unsaved-')));
    await writeFile(path.join(root, 'nb.ipynb'), JSON.stringify(saved));
    await writeFile(
      path.join(root, 'plain.ipynb'),
      JSON.stringify(
        notebookJson([
          [[], 'const xs = [1, 2, 3];'],
          [[], 'const total = xs.reduce((s, x) => s + x, 0);'],
          [[], 'console.log(total);']
        ])
      )
    );
    analysis = new AnalysisProcess();
    server = await createServer({
      root,
      port: 0,
      secret: SECRET,
      work: analysis,
      log: () => undefined
    });
  });

  after(async () => {
    await server.close();
    analysis.close();
  });

  test('without cells, the saved notebook is analyzed', async () => {
    const reply = await post(server, '/api/analyze', { path: 'nb.ipynb' });
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.body.steps.map((s: { name: string }) => s.name),
      ['a', 'b']
    );
    assert.deepEqual(reply.body.diagnostics, []);
  });

  test('the unsaved cells are analyzed in place of the file, and an undefined name is reported at its cell and line', async () => {
    const cells = [
      ...saved.cells,
      { ...saved.cells[1], id: 'c2', metadata: { tags: ['step:c', 'prev:b'] }, source: 'x;\nconst c = missing + b;' }
    ];
    const reply = await post(server, '/api/analyze', { path: 'nb.ipynb', cells });
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.body.steps.map((s: { name: string }) => s.name),
      ['a', 'b', 'c']
    );
    assert.equal(reply.body.kernel, 'tslab', 'the kernel comes from the saved file');
    const undefinedNames = reply.body.diagnostics.filter((d: { cellIndex: number }) => d.cellIndex === 2);
    assert.ok(undefinedNames.length > 0, JSON.stringify(reply.body.diagnostics));
    const where = (name: string) =>
      undefinedNames
        .filter((d: { message: string }) => d.message.includes(`\`${name}\``))
        .map((d: { line: number }) => d.line);
    assert.deepEqual(where('x'), [1], JSON.stringify(undefinedNames));
    assert.deepEqual(where('missing'), [2], JSON.stringify(undefinedNames));
  });

  test('cells that are not a list, or not cells, are refused with a coded 4xx', async () => {
    const notList = await post(server, '/api/analyze', { path: 'nb.ipynb', cells: 'const a = 1' });
    assert.equal(notList.status, 400);
    assert.equal(notList.body.error.code, 'invalid-request');
    const notCells = await post(server, '/api/analyze', { path: 'nb.ipynb', cells: [{ source: 1 }] });
    assert.ok(notCells.status >= 400 && notCells.status < 500, String(notCells.status));
    assert.equal(typeof notCells.body.error.hint, 'string');
  });

  test('/api/annotate proposes steps for the unsaved cells', async () => {
    const reply = await post(server, '/api/annotate', { path: 'plain.ipynb' });
    assert.equal(reply.status, 200);
    assert.ok(['split', 'one-step', 'unchanged'].includes(reply.body.outcome));
    assert.ok(Array.isArray(reply.body.cells));
    const empty = await post(server, '/api/annotate', { path: 'plain.ipynb', cells: [] });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body.cells, []);
  });
});
