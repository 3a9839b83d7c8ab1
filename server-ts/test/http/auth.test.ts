/**
 * Only Jupyter's authenticated users reach the server: on a Unix socket in a private directory, or on
 * loopback where every request carries the per-launch secret; Host and Origin name this server (no DNS
 * rebinding). Real servers, real sockets and ports.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createServer, SECRET_HEADER, type CellflowServer } from '../../src/http/index.js';
import { CLI } from '../engine/helpers.js';

const SECRET = 'per-launch-secret-0123456789';

interface Reply {
  status: number;
  body: any;
}

function get(
  target: { socketPath: string } | { host: string; port: number },
  requestPath: string,
  headers: Record<string, string> = {}
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request({ ...target, method: 'GET', path: requestPath, headers }, response => {
      const chunks: Buffer[] = [];
      response.on('data', chunk => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

const analyzeNotebookFile = async () => ({ version: 1, steps: [], diagnostics: [] });
let workspace: string;

before(async () => {
  workspace = await mkdtemp(path.join(tmpdir(), 'cellflow-auth-'));
});
after(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('loopback with a secret', () => {
  let server: CellflowServer;
  before(async () => {
    server = await createServer({ root: workspace, port: 0, secret: SECRET, analyzeNotebookFile, log: () => {} });
  });
  after(() => server.close());
  const tcp = () => ({ host: server.host, port: server.port });

  test('a request with the secret is answered', async () => {
    const reply = await get(tcp(), '/api/health', { [SECRET_HEADER]: SECRET });
    assert.equal(reply.status, 200);
  });

  test('no secret, a wrong one, or one of another length: 401 with a coded error', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { [SECRET_HEADER]: 'wrong' },
      { [SECRET_HEADER]: `${SECRET}x` }
    ]) {
      const reply = await get(tcp(), '/api/health', headers);
      assert.equal(reply.status, 401, JSON.stringify(headers));
      assert.equal(reply.body.error.code, 'unauthorized');
      assert.ok(reply.body.error.hint);
    }
  });

  test('a Host that is not loopback (DNS rebinding) is refused with 403', async () => {
    const reply = await get(tcp(), '/api/health', { [SECRET_HEADER]: SECRET, Host: 'evil.example:80' });
    assert.equal(reply.status, 403);
    assert.equal(reply.body.error.code, 'host-not-allowed');
  });

  test('an Origin that does not match the Host is refused with 403; a matching one is answered', async () => {
    const host = `localhost:${server.port}`;
    const foreign = await get(tcp(), '/api/health', {
      [SECRET_HEADER]: SECRET,
      Host: host,
      Origin: 'http://evil.example'
    });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error.code, 'origin-not-allowed');
    const same = await get(tcp(), '/api/health', { [SECRET_HEADER]: SECRET, Host: host, Origin: `http://${host}` });
    assert.equal(same.status, 200);
  });

  test('a TCP server without a secret is never started', async () => {
    await assert.rejects(createServer({ root: workspace, port: 0, analyzeNotebookFile }), /needs a secret/);
  });
});

describe('a configured host name', () => {
  test('is accepted in Host when allowed, refused otherwise', async () => {
    const server = await createServer({
      root: workspace,
      port: 0,
      secret: SECRET,
      allowedHosts: ['lab.example'],
      analyzeNotebookFile,
      log: () => {}
    });
    try {
      const tcp = { host: server.host, port: server.port };
      assert.equal((await get(tcp, '/api/health', { [SECRET_HEADER]: SECRET, Host: 'lab.example' })).status, 200);
      assert.equal((await get(tcp, '/api/health', { [SECRET_HEADER]: SECRET, Host: 'other.example' })).status, 403);
    } finally {
      await server.close();
    }
  });
});

describe('a Unix socket in a private directory', () => {
  test('creates a missing directory with mode 0700 and answers without a secret', async () => {
    const dir = path.join(workspace, 'run-new');
    const socketPath = path.join(dir, 'cellflow.sock');
    const server = await createServer({ root: workspace, socketPath, analyzeNotebookFile, log: () => {} });
    try {
      assert.equal((await stat(dir)).mode & 0o777, 0o700);
      const reply = await get({ socketPath }, '/api/health');
      assert.equal(reply.status, 200);
      assert.equal(reply.body.name, 'cellflow');
      const rebinding = await get({ socketPath }, '/api/health', { Host: 'evil.example' });
      assert.equal(rebinding.status, 403);
    } finally {
      await server.close();
    }
  });

  test('refuses a directory others may enter, with a coded error', async () => {
    const dir = path.join(workspace, 'run-open');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await assert.rejects(
      createServer({ root: workspace, socketPath: path.join(dir, 'cellflow.sock'), analyzeNotebookFile }),
      (error: any) => error.diagnostic?.code === 'serve-socket-dir-not-private'
    );
  });
});

describe('cellflow serve', () => {
  test('without a socket or a secret it refuses, saying how it is meant to be started', () => {
    for (const args of [['serve'], ['serve', '--port', '0']]) {
      const env = { ...process.env };
      delete env.CELLFLOW_SERVER_SECRET;
      const result = spawnSync(process.execPath, [CLI, ...args, '--root', workspace], { encoding: 'utf8', env });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /error serve-unauthenticated: .*\n {2}hint: .*--socket.*CELLFLOW_SERVER_SECRET/);
      assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m);
    }
  });
});
