import { readJsonBody } from '../body.js';
import { httpError, HttpError } from '../errors.js';
import { resolveFileInsideRoot, type ServerRoot } from '../paths.js';
import type { Route } from '../router.js';

export interface AnalyzeRequest {
  /** The notebook path relative to the Jupyter root, `/`-separated. */
  path: string;
}

/** Reads and analyzes one notebook file; returns the pipeline IR. */
export type AnalyzeNotebookFile = (absolutePath: string) => Promise<unknown>;

export interface AnalyzeRouteOptions {
  root: ServerRoot;
  analyzeNotebookFile: AnalyzeNotebookFile;
  maxBodyBytes: number;
}

/** `POST /api/analyze` with `{ path }`: answers the notebook's pipeline IR. */
export function analyzeRoute(options: AnalyzeRouteOptions): Route {
  return {
    method: 'POST',
    path: '/api/analyze',
    handle: async ({ request }) => {
      const body = await readJsonBody(request, options.maxBodyBytes);
      const { path: requested } = parseAnalyzeRequest(body);
      const absolutePath = await resolveFileInsideRoot(options.root, requested);
      try {
        return {
          status: 200,
          body: await options.analyzeNotebookFile(absolutePath)
        };
      } catch (error) {
        throw analysisError(error, requested);
      }
    }
  };
}

function parseAnalyzeRequest(body: unknown): AnalyzeRequest {
  const hint = 'Send {"path": "<notebook path relative to the Jupyter root>"}.';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpError.invalidRequest('The request body is not a JSON object.', hint);
  }
  const { path } = body as Record<string, unknown>;
  if (typeof path !== 'string' || path.trim() === '') {
    throw httpError.invalidRequest('"path" must be a non-empty string.', hint);
  }
  return { path };
}

/**
 * The analyzer reports a notebook it cannot read as an error carrying a
 * diagnostic (`CellflowError` in diagnostics/diagnostic.ts): that is the
 * user's notebook at fault (422), anything else is ours (500).
 */
function analysisError(error: unknown, requested: string): HttpError {
  if (error instanceof HttpError) return error;
  const diagnostic = (error as { diagnostic?: unknown } | null)?.diagnostic;
  if (isDiagnosticLike(diagnostic)) return httpError.analysisRefused(diagnostic);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return httpError.notebookNotFound(requested);
  const failure = httpError.analysisFailed(requested, error instanceof Error ? error.message : String(error));
  failure.cause = error;
  return failure;
}

function isDiagnosticLike(value: unknown): value is { code: string; message: string; hint: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message, hint } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && typeof hint === 'string';
}
