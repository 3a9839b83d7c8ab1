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
import { openRoot } from './paths.js';
import { createRouter, type Route } from './router.js';
import { analyzeRoute, type AnalyzeNotebookFile } from './routes/analyze.js';
import { healthRoute, readyRoute } from './routes/health.js';

/** Hosts the server may bind: loopback only, the proxy is the way in. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface CreateServerOptions {
  /** The Jupyter root directory; every path in a request is resolved inside it. */
  root: string;
  /** 0 (the default) picks a free port; read the chosen one from the result. */
  port?: number;
  /** A loopback address; defaults to 127.0.0.1. */
  host?: string;
  /** Passed in so the HTTP layer does not depend on how analysis is done. */
  analyzeNotebookFile: AnalyzeNotebookFile;
  /** Largest request body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Where server-side failures are reported (default: stderr). */
  log?: (line: string) => void;
}

export interface CellflowServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
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
    })
  ];
  const router = createRouter(routes);

  const httpServer = http.createServer((request, response) => {
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

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });

  const address = httpServer.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
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
