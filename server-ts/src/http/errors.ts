/**
 * Every error the HTTP API answers with, one named function each, so codes,
 * statuses, messages and hints live in one place. On the wire an error is
 * `{ error: { code, message, hint } }` (plus `diagnostic` when the analysis
 * itself refused the notebook).
 */
import type { ServerResponse } from 'node:http';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** Diagnostics that mean "no such thing" rather than "this is wrong". */
const NOT_FOUND_CODES = new Set(['unknown-run', 'unknown-step', 'unknown-artifact', 'unknown-experiment']);
/** Diagnostics that say the thing is in another state than the request needs: 409 Conflict. */
const CONFLICT_CODES = new Set(['experiment-not-running', 'experiment-already-running', 'snapshot-store-busy']);
/** Diagnostics about what the request asked for (a parameter, a step), not about the notebook. */
const BAD_REQUEST_CODES = new Set([
  'unknown-parameter',
  'bad-parameter-value',
  'missing-parameter-value',
  'bad-parameter',
  'step-not-in-pipeline',
  'empty-step-selection',
  'step-selection-conflict'
]);

export interface HttpErrorBody {
  error: {
    code: string;
    message: string;
    hint: string;
    /** The analyzer's own diagnostic, when it is the reason for the error. */
    diagnostic?: unknown;
    /** Every error, when several refuse the request (a notebook that does not compile). */
    diagnostics?: unknown[];
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly headers: Record<string, string> = {},
    readonly diagnostic?: unknown,
    readonly diagnostics?: unknown[]
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): HttpErrorBody {
    const body: HttpErrorBody = {
      error: { code: this.code, message: this.message, hint: this.hint }
    };
    if (this.diagnostic !== undefined) body.error.diagnostic = this.diagnostic;
    if (this.diagnostics !== undefined) body.error.diagnostics = this.diagnostics;
    return body;
  }
}

export const httpError = {
  routeNotFound: (method: string, path: string) =>
    new HttpError(
      404,
      'route-not-found',
      `No route for ${method} ${path}.`,
      'See server-ts/src/http/README.md for the routes this server answers.'
    ),
  methodNotAllowed: (method: string, path: string, allowed: string[]) =>
    new HttpError(405, 'method-not-allowed', `${path} does not accept ${method}.`, `Use ${allowed.join(' or ')}.`, {
      Allow: allowed.join(', ')
    }),
  unsupportedMediaType: (contentType: string | undefined) =>
    new HttpError(
      415,
      'unsupported-media-type',
      `Expected a JSON body, got content type ${contentType ? `"${contentType}"` : 'none'}.`,
      'Send the body with the header Content-Type: application/json.'
    ),
  bodyTooLarge: (limitBytes: number) =>
    new HttpError(
      413,
      'body-too-large',
      `The request body is larger than ${limitBytes} bytes.`,
      'Send the notebook path, and its cells only when they are unsaved; a notebook this large is analyzed from its saved file.',
      // The rest of an oversized body is never read, so the connection cannot be reused.
      { Connection: 'close' }
    ),
  invalidJson: (detail: string) =>
    new HttpError(
      400,
      'invalid-json',
      `The request body is not valid JSON: ${detail}.`,
      'Send a JSON object such as {"path": "notebooks/train.ipynb"}.'
    ),
  invalidRequest: (why: string, hint: string) => new HttpError(400, 'invalid-request', why, hint),
  /**
   * A coded diagnostic from the analyzer or the engine: 404 for what does not exist, 400 for a bad ask, 409 for a
   * thing in the wrong state (busy, not running), else 422.
   */
  fromDiagnostic: (diagnostic: Diagnostic, diagnostics?: Diagnostic[]) =>
    new HttpError(
      NOT_FOUND_CODES.has(diagnostic.code)
        ? 404
        : BAD_REQUEST_CODES.has(diagnostic.code)
          ? 400
          : CONFLICT_CODES.has(diagnostic.code)
            ? 409
            : 422,
      diagnostic.code,
      diagnostic.message,
      diagnostic.hint,
      {},
      diagnostic,
      diagnostics
    ),
  symlinkLoop: (requested: string) =>
    new HttpError(
      400,
      'path-symlink-loop',
      `The path "${requested}" goes through symbolic links that point at each other.`,
      'Fix or remove the looping links, or pass the path of the notebook itself.'
    ),
  pathTooLong: () =>
    new HttpError(
      400,
      'path-too-long',
      'The path is longer than the file system allows.',
      'Pass the notebook path as the JupyterLab file browser shows it.'
    ),
  pathNotReadable: (requested: string) =>
    new HttpError(
      403,
      'path-not-readable',
      `The server may not read "${requested}".`,
      'Check the permissions of the file and of the folders above it.'
    ),
  pathOutsideRoot: (requested: string) =>
    new HttpError(
      403,
      'path-outside-root',
      `The path "${requested}" is outside the Jupyter root directory.`,
      'Pass a path relative to the Jupyter root, as the JupyterLab file browser shows it; absolute paths, ".." and symbolic links leading out of the root are refused.'
    ),
  notebookNotFound: (requested: string) =>
    new HttpError(
      404,
      'notebook-not-found',
      `No file at "${requested}" under the Jupyter root directory.`,
      'Save the notebook first, and pass its path relative to the Jupyter root.'
    ),
  notAFile: (requested: string) =>
    new HttpError(400, 'not-a-file', `"${requested}" is not a file.`, 'Pass the path of a notebook (.ipynb) file.'),
  analysisRefused: (diagnostic: { code: string; message: string; hint: string }) =>
    new HttpError(422, diagnostic.code, diagnostic.message, diagnostic.hint, {}, diagnostic),
  analysisFailed: (requested: string, detail: string) =>
    new HttpError(
      500,
      'analysis-failed',
      `Analyzing "${requested}" failed: ${detail}`,
      'This is a bug in cellflow; the server log has the stack trace. Please report it with the notebook that triggers it.'
    ),
  unauthorized: () =>
    new HttpError(
      401,
      'unauthorized',
      'This request does not carry the server secret.',
      'Reach cellflow through JupyterLab (jupyter-server-proxy adds the X-Cellflow-Secret header); it does not answer other clients.'
    ),
  hostNotAllowed: (host: string | undefined) =>
    new HttpError(
      403,
      'host-not-allowed',
      `The Host header ${host === undefined ? '(none)' : `"${host}"`} does not name this server.`,
      'Reach cellflow through JupyterLab at localhost; a page served from another name is refused (DNS rebinding protection).'
    ),
  originNotAllowed: (origin: string) =>
    new HttpError(
      403,
      'origin-not-allowed',
      `Requests from the page at "${origin}" are refused: its origin does not match this server.`,
      'Use cellflow from JupyterLab itself; other web pages may not call it.'
    ),
  internal: (detail: string) =>
    new HttpError(
      500,
      'internal-error',
      `The cellflow server failed: ${detail}`,
      'This is a bug in cellflow; the server log has the stack trace. Please report it with the notebook that triggers it.'
    )
};

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers
  });
  response.end(text);
}

export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(response, error.status, error.toBody(), error.headers);
}
