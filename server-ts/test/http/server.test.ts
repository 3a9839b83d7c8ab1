import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createServer, SECRET_HEADER, type CellflowServer } from '../../src/http/index.js';

const SECRET = 'a-test-secret';

const NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: []
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** One request with node:http, so tests control headers and framing exactly. */
function send(
  server: CellflowServer,
  method: string,
  requestPath: string,
  body?: string,
  headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' }
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: server.host,
        port: server.port,
        method,
        path: requestPath,
        headers: { [SECRET_HEADER]: SECRET, ...headers }
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: text ? JSON.parse(text) : undefined
          });
        });
      }
    );
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const analyze = (server: CellflowServer, notebookPath: unknown) =>
  send(server, 'POST', '/api/analyze', JSON.stringify({ path: notebookPath }));

describe('cellflow HTTP server', () => {
  let workspace: string;
  let root: string;
  let outside: string;
  let server: CellflowServer;
  let analyzed: string[];
  let analyzeImpl: (absolutePath: string) => Promise<unknown>;

  before(async () => {
    workspace = await realpath(await mkdtemp(path.join(tmpdir(), 'cellflow-http-')));
    root = path.join(workspace, 'root');
    outside = path.join(workspace, 'outside');
    await mkdir(path.join(root, 'notebooks'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(root, 'notebooks', 'train.ipynb'), NOTEBOOK);
    await writeFile(path.join(outside, 'secret.ipynb'), NOTEBOOK);
    await symlink(path.join(outside, 'secret.ipynb'), path.join(root, 'escape.ipynb'));
    await symlink(outside, path.join(root, 'outside-dir'));
    await symlink(path.join(root, 'notebooks', 'train.ipynb'), path.join(root, 'alias.ipynb'));

    server = await createServer({
      root,
      port: 0,
      secret: SECRET,
      analyzeNotebookFile: absolutePath => analyzeImpl(absolutePath),
      log: () => {}
    });
  });

  beforeEach(() => {
    analyzed = [];
    analyzeImpl = async absolutePath => {
      analyzed.push(absolutePath);
      return { version: 1, steps: [], diagnostics: [] };
    };
  });

  after(async () => {
    await server.close();
    await rm(workspace, { recursive: true, force: true });
  });

  test('listens on the loopback address only', () => {
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0);
  });

  test('refuses a non-loopback host', async () => {
    await assert.rejects(
      createServer({
        root,
        host: '0.0.0.0',
        secret: SECRET,
        analyzeNotebookFile: async () => ({})
      }),
      /loopback only/
    );
  });

  test('GET /api/health answers the name and the package version', async () => {
    const packageJson = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    for (const route of ['/api/health', '/cellflow/api/health']) {
      const reply = await send(server, 'GET', route);
      assert.equal(reply.status, 200, route);
      assert.match(String(reply.headers['content-type']), /^application\/json/);
      const { instance, startedAt, ...rest } = reply.body as { instance: unknown; startedAt: unknown };
      assert.deepEqual(rest, {
        name: 'cellflow',
        version: packageJson.version
      });
      assert.match(String(instance), /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(String(startedAt))), 'startedAt is a date');
    }
  });

  test('GET / answers 200 for the proxy readiness check', async () => {
    assert.equal((await send(server, 'GET', '/')).status, 200);
    assert.equal((await send(server, 'GET', '/cellflow')).status, 200);
  });

  test('POST /api/analyze calls the analyzer with the resolved path and answers its IR', async () => {
    const reply = await analyze(server, 'notebooks/train.ipynb');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { version: 1, steps: [], diagnostics: [] });
    assert.deepEqual(analyzed, [path.join(root, 'notebooks', 'train.ipynb')]);
  });

  test('the /cellflow prefix is accepted too', async () => {
    const reply = await send(
      server,
      'POST',
      '/cellflow/api/analyze',
      JSON.stringify({ path: 'notebooks/../notebooks/train.ipynb' })
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(analyzed, [path.join(root, 'notebooks', 'train.ipynb')]);
  });

  test('a symbolic link that stays inside the root is followed', async () => {
    const reply = await analyze(server, 'alias.ipynb');
    assert.equal(reply.status, 200);
    assert.deepEqual(analyzed, [path.join(root, 'notebooks', 'train.ipynb')]);
  });

  for (const [why, notebookPath] of [
    ['".." out of the root', '../../etc/passwd'],
    ['".." to a sibling of the root', '../outside/secret.ipynb'],
    ['an absolute path', '/etc/passwd'],
    ['an absolute path inside the root', '/notebooks/train.ipynb'],
    ['a Windows absolute path', 'C:\\Windows\\win.ini'],
    ['a symbolic link to a file outside the root', 'escape.ipynb'],
    ['a path through a symbolic link to a folder outside the root', 'outside-dir/secret.ipynb']
  ]) {
    test(`refuses ${why} with 403`, async () => {
      const reply = await analyze(server, notebookPath);
      assert.equal(reply.status, 403);
      assert.equal(reply.body.error.code, 'path-outside-root');
      assert.equal(typeof reply.body.error.message, 'string');
      assert.equal(typeof reply.body.error.hint, 'string');
      assert.deepEqual(analyzed, []);
    });
  }

  test('bad JSON answers 400 invalid-json', async () => {
    const reply = await send(server, 'POST', '/api/analyze', '{"path": ');
    assert.equal(reply.status, 400);
    assert.equal(reply.body.error.code, 'invalid-json');
    assert.deepEqual(analyzed, []);
  });

  test('a body without a string path answers 400 invalid-request', async () => {
    for (const body of ['[]', '{}', '{"path": 3}', '{"path": ""}']) {
      const reply = await send(server, 'POST', '/api/analyze', body);
      assert.equal(reply.status, 400, body);
      assert.equal(reply.body.error.code, 'invalid-request', body);
    }
  });

  test('a missing notebook answers 404, a folder 400', async () => {
    assert.equal((await analyze(server, 'nope.ipynb')).body.error.code, 'notebook-not-found');
    const folder = await analyze(server, 'notebooks');
    assert.equal(folder.status, 400);
    assert.equal(folder.body.error.code, 'not-a-file');
  });

  test('a body that is not JSON-typed answers 415', async () => {
    const reply = await send(server, 'POST', '/api/analyze', '{"path":"notebooks/train.ipynb"}', {
      'Content-Type': 'text/plain'
    });
    assert.equal(reply.status, 415);
    assert.equal(reply.body.error.code, 'unsupported-media-type');
  });

  test('an oversized body answers 413, declared or streamed', async () => {
    const small = await createServer({
      root,
      maxBodyBytes: 64,
      secret: SECRET,
      analyzeNotebookFile: async () => ({}),
      log: () => {}
    });
    try {
      const big = JSON.stringify({ path: 'x'.repeat(200) });
      const declared = await send(small, 'POST', '/api/analyze', big);
      assert.equal(declared.status, 413);
      assert.equal(declared.body.error.code, 'body-too-large');
      const streamed = await send(small, 'POST', '/api/analyze', big, {
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked'
      });
      assert.equal(streamed.status, 413);
    } finally {
      await small.close();
    }
  });

  test('unknown routes answer 404 and wrong methods 405', async () => {
    const missing = await send(server, 'GET', '/api/nothing');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'route-not-found');
    const wrongMethod = await send(server, 'GET', '/api/analyze');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'POST');
  });

  test('an analyzer diagnostic answers 422 with its code and hint', async () => {
    analyzeImpl = async () => {
      throw Object.assign(new Error('The notebook is not valid JSON.'), {
        diagnostic: {
          code: 'notebook-malformed-json',
          severity: 'error',
          message: 'The notebook is not valid JSON.',
          hint: 'Fix the JSON.',
          cellIndex: null,
          line: null,
          column: null
        }
      });
    };
    const reply = await analyze(server, 'notebooks/train.ipynb');
    assert.equal(reply.status, 422);
    assert.equal(reply.body.error.code, 'notebook-malformed-json');
    assert.equal(reply.body.error.hint, 'Fix the JSON.');
    assert.equal(reply.body.error.diagnostic.code, 'notebook-malformed-json');
  });

  test('an analyzer crash answers 500 analysis-failed', async () => {
    analyzeImpl = async () => {
      throw new TypeError('boom');
    };
    const reply = await analyze(server, 'notebooks/train.ipynb');
    assert.equal(reply.status, 500);
    assert.equal(reply.body.error.code, 'analysis-failed');
    assert.match(reply.body.error.message, /boom/);
  });
});
