/**
 * The Fastify application: the guard on every request, the routes with their TypeBox schemas, and one error
 * answer for everything (`{ error: { code, message, hint } }`). It does not listen: server.ts does, and the
 * OpenAPI generator builds it alone (openapi.ts).
 */
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import path from 'node:path';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { version } from '../version.js';
import { HttpError, httpError } from './errors.js';
import { checkRequest, type GuardOptions } from './guard.js';
import type { NotebookWork } from './notebook-work.js';
import type { ServerRoot } from './paths.js';
import { stripProxyPrefix } from './prefix.js';
import { RunLocator } from './run-locator.js';
import { healthRoutes } from './routes/health.js';
import { notebookRoutes } from './routes/notebook.js';
import { restoreStateCodeRoutes } from './routes/restore-state-code.js';
import { runRoutes } from './routes/runs.js';
import { eventRoutes } from './routes/events.js';
import { artifactRoutes } from './routes/artifacts.js';
import { restoreRoutes } from './routes/restore.js';
import { experimentRoutes } from './routes/experiments.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { RunningExperiments } from './running-experiments.js';
import { sharedSchemas } from './schemas/components.js';

export interface AppOptions {
  root: ServerRoot;
  guard: GuardOptions;
  work: NotebookWork;
  runs: RunLocator;
  maxBodyBytes: number;
  /** Between SSE comment lines that keep an idle event stream (and its proxies) open. */
  heartbeatMs: number;
  log: (line: string) => void;
  /** Socket timeouts (ms): see server.ts. */
  timeouts: { connection: number; request: number; keepAlive: number };
}

/** The routes' shared context. */
export interface RouteDeps {
  root: ServerRoot;
  work: NotebookWork;
  runs: RunLocator;
  /** The experiments this server runs (it can cancel them). */
  experiments: RunningExperiments;
  heartbeatMs: number;
  log: (line: string) => void;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxBodyBytes,
    connectionTimeout: options.timeouts.connection,
    requestTimeout: options.timeouts.request,
    keepAliveTimeout: options.timeouts.keepAlive,
    // jupyter-server-proxy strips `<base_url>/cellflow`; the same routes answer with it too (curl, tests).
    rewriteUrl: request => stripProxyPrefix(request.url ?? '/'),
    ajv: {
      // Bodies are checked as sent: no coercion ("3" is not a number), nothing silently dropped.
      customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false }
    }
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Answers are serialized whole, as the code built them: the schemas document and (in tests) check them, but
  // never drop a field a schema forgot.
  app.setSerializerCompiler(() => data => JSON.stringify(data));
  // Only JSON bodies: a cross-site browser POST then needs a CORS preflight, which this server never grants.
  app.removeContentTypeParser(['text/plain']);

  app.addHook('onRequest', async (request, reply) => {
    const refusal = checkRequest(request.raw, options.guard);
    if (refusal) return sendHttpError(reply, refusal);
    // A body-carrying route with a body but no content type: Fastify would guess; we refuse.
    if (request.method === 'POST' && request.headers['content-type'] === undefined && hasBody(request.headers))
      return sendHttpError(reply, httpError.unsupportedMediaType(undefined));
    return undefined;
  });

  app.setNotFoundHandler(async (request, reply) => {
    const pathname = new URL(request.url, 'http://localhost').pathname;
    const allowed = ['GET', 'POST'].filter(
      method => method !== request.method && app.findRoute({ method, url: pathname }) !== null
    );
    const shown = request.raw.url?.split('?')[0] ?? pathname;
    return sendHttpError(
      reply,
      allowed.length > 0
        ? httpError.methodNotAllowed(request.method, shown, allowed)
        : httpError.routeNotFound(request.method, shown)
    );
  });

  app.setErrorHandler(async (error: FastifyError | Error, request, reply) => {
    const failure = toHttpError(error, options.maxBodyBytes);
    if (failure.status >= 500) {
      const cause = failure.cause ?? error;
      options.log(
        `cellflow: ${request.method} ${request.raw.url} failed: ${cause instanceof Error ? cause.stack : String(cause)}`
      );
    }
    if (reply.raw.headersSent) {
      reply.raw.destroy();
      return reply;
    }
    return sendHttpError(reply, failure, options.root);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cellflow',
        version,
        description:
          'The cellflow backend, reached through jupyter-server-proxy at <base_url>/cellflow. Errors answer `{ error: { code, message, hint } }`.'
      }
    },
    // Shared schemas keep their names in `components.schemas`.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) }
  });
  for (const [name, schema] of Object.entries(sharedSchemas)) app.addSchema({ ...schema, $id: name });

  const deps: RouteDeps = {
    root: options.root,
    work: options.work,
    runs: options.runs,
    experiments: new RunningExperiments(options.log),
    heartbeatMs: options.heartbeatMs,
    log: options.log
  };
  // A closing server cancels its experiments (each resumable) and waits for their records to be saved.
  app.addHook('onClose', () => deps.experiments.cancelAll());
  healthRoutes(app);
  notebookRoutes(app, deps);
  runRoutes(app, deps);
  eventRoutes(app, deps);
  artifactRoutes(app, deps);
  restoreStateCodeRoutes(app, deps);
  restoreRoutes(app, deps);
  experimentRoutes(app, deps);
  snapshotRoutes(app, deps);
  await app.ready();
  return app;
}

function hasBody(headers: Record<string, unknown>): boolean {
  return headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
}

/** Every failure as the one error shape: ours, the analyzer's and engine's diagnostics, Fastify's own. */
export function toHttpError(error: unknown, maxBodyBytes: number): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof CellflowError) return httpError.fromDiagnostic(error.diagnostic);
  const fastify = error as FastifyError;
  if (fastify.validation) {
    const where = fastify.validationContext ?? 'request';
    return httpError.invalidRequest(
      `The request's ${where} is not what this route takes: ${fastify.message}.`,
      'See server-ts/openapi.json (or server-ts/src/http/README.md) for the shape this route takes.'
    );
  }
  switch (fastify.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return httpError.bodyTooLarge(maxBodyBytes);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return httpError.unsupportedMediaType(undefined);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return httpError.invalidJson('the body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return httpError.invalidJson(fastify.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return httpError.invalidRequest(
        'The body is not as long as its Content-Length says.',
        'Send the Content-Length of the body as sent.'
      );
  }
  if (error instanceof SyntaxError && (error as { statusCode?: number }).statusCode === 400)
    return httpError.invalidJson(error.message);
  const failure = httpError.internal(error instanceof Error ? error.message : String(error));
  failure.cause = error;
  return failure;
}

/**
 * A message may quote a file the server touched (a notebook that is not JSON, a damaged run record): said
 * relative to the root, so no answer tells the client where the server keeps its files.
 */
function scrubServerPaths(body: unknown, root: ServerRoot): unknown {
  const dirs = [...new Set([root.real, root.resolved])];
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string')
      return dirs.reduce((text, dir) => text.split(`${dir}${path.sep}`).join('').split(dir).join('.'), value);
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
    return value;
  };
  return scrub(body);
}

export function sendHttpError(
  reply: {
    code(status: number): unknown;
    headers(values: Record<string, string>): unknown;
    send(body: unknown): unknown;
  },
  error: HttpError,
  root?: ServerRoot
) {
  reply.code(error.status);
  reply.headers({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json; charset=utf-8', ...error.headers });
  return reply.send(root ? scrubServerPaths(error.toBody(), root) : error.toBody());
}
