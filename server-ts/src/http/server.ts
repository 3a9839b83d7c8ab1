/**
 * The cellflow HTTP server: JSON over HTTP on a Unix socket or the loopback interface, started by
 * jupyter-server-proxy (see cellflow/__init__.py), so Jupyter's own authentication guards every request that
 * reaches it from a browser. Routes and shapes: README.md in this folder, openapi.json beside package.json.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnalysisProcess } from '../analysis-process/index.js';
import { LocalEngine } from '../engine/local/engine.js';
import { buildApp } from './app.js';
import type { NotebookWork } from './notebook-work.js';
import { openRoot } from './paths.js';
import { RunLocator, type EngineFactory } from './run-locator.js';
import { preparePrivateSocket } from './socket-dir.js';
import type { NotebookCell } from '../notebook/nbformat.js';

/** Hosts the server may bind: loopback only, the proxy is the way in. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Requests carry paths and options, and the editor's unsaved cells (outputs included, as nbformat holds them):
 * a notebook larger than this is analyzed from its saved file instead.
 */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Socket timeouts. An idle connection (half-open included) closes after `connection` ms of silence; event streams
 * stay open through their heartbeats, which come more often. A request must arrive whole within `request`;
 * an idle keep-alive connection closes after `keepAlive`.
 */
export const DEFAULT_TIMEOUTS = { connection: 75_000, request: 30_000, keepAlive: 5_000 };

/** Between heartbeat comments on an event stream: well inside the connection timeout. */
export const DEFAULT_HEARTBEAT_MS = 15_000;

/** Reads and analyzes one notebook file (its unsaved `cells` when given); returns the pipeline IR. */
export type AnalyzeNotebookFile = (absolutePath: string, cells?: NotebookCell[]) => Promise<unknown>;

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
  /**
   * Analyze, compile and annotate. Default: an analysis process of the server's own (off its event loop, with a
   * time limit), closed with the server.
   */
  work?: NotebookWork;
  /** Replaces `work.analyze` (tests of the HTTP layer alone). */
  analyzeNotebookFile?: AnalyzeNotebookFile;
  /** The engine for a notebook folder's runs (default: the local engine there, as `cellflow run` uses). */
  engineFor?: EngineFactory;
  /** Largest request body accepted, in bytes (default 32 MiB). */
  maxBodyBytes?: number;
  heartbeatMs?: number;
  timeouts?: Partial<typeof DEFAULT_TIMEOUTS>;
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
  const ownProcess = options.work === undefined ? new AnalysisProcess() : undefined;
  const base: NotebookWork = options.work ?? ownProcess!;
  const analyze = options.analyzeNotebookFile;
  const work: NotebookWork = analyze
    ? {
        analyze: (file, cells) => analyze(file, cells) as ReturnType<NotebookWork['analyze']>,
        compile: (file, cells) => base.compile(file, cells),
        annotate: (file, cells) => base.annotate(file, cells)
      }
    : base;

  const app = await buildApp({
    root,
    guard: {
      secret: options.socketPath === undefined ? options.secret : undefined,
      allowedHosts: options.allowedHosts
    },
    work,
    runs: new RunLocator(options.engineFor ?? (dir => new LocalEngine(dir))),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    log
  });

  try {
    if (options.socketPath !== undefined) {
      await preparePrivateSocket(options.socketPath);
      await app.listen({ path: options.socketPath });
    } else {
      await app.listen({ port: options.port ?? 0, host });
    }
  } catch (error) {
    ownProcess?.close();
    await app.close();
    throw error;
  }

  const httpServer = app.server;
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
    close: async () => {
      // Open event streams would hold close() open until their runs end.
      httpServer.closeAllConnections();
      await app.close();
      ownProcess?.close();
    }
  };
}
