/**
 * The cellflow HTTP server: JSON over HTTP on the loopback interface, started
 * by jupyter-server-proxy (see cellflow/__init__.py), so Jupyter's own
 * authentication guards every request that reaches it from a browser.
 * Routes and shapes: README.md in this folder.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './body.js';
import { HttpError, httpError, sendError, sendJson } from './errors.js';
import { checkRequest } from './guard.js';
import { openRoot } from './paths.js';
import { createRouter, type Route } from './router.js';
import { analyzeRoute, type AnalyzeNotebookFile } from './routes/analyze.js';
import { healthRoute, readyRoute } from './routes/health.js';
import { preparePrivateSocket } from './socket-dir.js';

/** Hosts the server may bind: loopback only, the proxy is the way in. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface CreateServerOptions {
  /** The Jupyter root directory; every path in a request is resolved inside it. */
  root: string;
  /** 0 (the default) picks a free port; read the chosen one from the result. */
  port?: number;
  /** A loopback address; defaults to 127.0.0.1. */
  host?: string;
  /** Listen on this Unix socket instead of a port; its directory must be private (created 0700 if missing). */
  socketPath?: string;
  /** Every request must carry it in X-Cellflow-Secret (required when listening on a port). */
  secret?: string;
  /** Host names accepted in the Host header besides loopback ones. */
  allowedHosts?: readonly string[];
  /** Passed in so the HTTP layer does not depend on how analysis is done. */
  analyzeNotebookFile: AnalyzeNotebookFile;
  /** `cellflow annotate`'s proposal for a notebook (same arguments); without it, /api/annotate is not served. */
  annotateNotebookFile?: AnalyzeNotebookFile;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Where server-side failures are reported (default: stderr). */
  log?: (line: string) => void;
}

export interface CellflowServer {
  /** http://host:port, or http://localhost when on a Unix socket. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Set when the server listens on a Unix socket. */
  readonly socketPath?: string;
  /** The root with symbolic links resolved. */
  readonly root: string;
  readonly httpServer: http.Server;
  close(): Promise<void>;
}

export async function createServer(options: CreateServerOptions): Promise<CellflowServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(
      `The cellflow server listens on loopback only (127.0.0.1, ::1, localhost), not "${host}"; reach it from elsewhere through jupyter-server-proxy.`
    );
  }
  if (options.socketPath === undefined && !options.secret) {
    throw new Error('A cellflow server on a TCP port needs a secret; listen on a Unix socket or pass one.');
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = await openRoot(options.root);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  const routes: Route[] = [
    readyRoute(),
    healthRoute(),
    analyzeRoute({
      root,
      analyzeNotebookFile: options.analyzeNotebookFile,
      maxBodyBytes
    }),
    ...(options.annotateNotebookFile
      ? [
          analyzeRoute({
            root,
            analyzeNotebookFile: options.annotateNotebookFile,
            maxBodyBytes,
            path: '/api/annotate'
          })
        ]
      : [])
  ];
  const router = createRouter(routes);

  const guard = {
    secret: options.socketPath === undefined ? options.secret : undefined,
    allowedHosts: options.allowedHosts
  };
  const httpServer = http.createServer((request, response) => {
    const refusal = checkRequest(request, guard);
    if (refusal) {
      sendError(response, refusal);
      return;
    }
    router
      .dispatch(request, response)
      .then(result => {
        if (result) sendJson(response, result.status, result.body);
      })
      .catch((error: unknown) => {
        const failure =
          error instanceof HttpError
            ? error
            : httpError.internal(error instanceof Error ? error.message : String(error));
        if (failure.status >= 500) {
          const cause = failure === error ? failure.cause : error;
          log(
            `cellflow: ${request.method} ${request.url} failed: ${
              cause instanceof Error ? cause.stack : failure.message
            }`
          );
        }
        if (response.headersSent) {
          response.destroy();
        } else if (!response.destroyed) {
          sendError(response, failure);
        }
      });
  });

  if (options.socketPath !== undefined) await preparePrivateSocket(options.socketPath);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    const ready = () => {
      httpServer.off('error', reject);
      resolve();
    };
    if (options.socketPath !== undefined) httpServer.listen(options.socketPath, ready);
    else httpServer.listen(options.port ?? 0, host, ready);
  });

  const address = httpServer.address();
  const tcp = typeof address === 'object' && address !== null ? (address as AddressInfo) : undefined;
  const urlHost = tcp?.family === 'IPv6' ? `[${tcp.address}]` : (tcp?.address ?? 'localhost');
  return {
    url: tcp ? `http://${urlHost}:${tcp.port}` : 'http://localhost',
    host: tcp?.address ?? 'localhost',
    port: tcp?.port ?? 0,
    socketPath: options.socketPath,
    root: root.real,
    httpServer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        httpServer.close(error => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        httpServer.closeIdleConnections();
      })
  };
}
