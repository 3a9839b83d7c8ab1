import { readJsonBody } from '../body.js';
import { httpError, HttpError } from '../errors.js';
import { resolveFileInsideRoot, type ServerRoot } from '../paths.js';
import type { Route } from '../router.js';

export interface AnalyzeRequest {
  /** The notebook path relative to the Jupyter root, `/`-separated. */
  path: string;
  /** The notebook's unsaved cells (nbformat JSON); the file at `path` still gives the kernel and settings. */
  cells?: unknown[];
}

/** Reads and analyzes one notebook file (with `cells` in place of its own when given); returns the pipeline IR. */
export type AnalyzeNotebookFile = (absolutePath: string, cells?: unknown[]) => Promise<unknown>;

export interface AnalyzeRouteOptions {
  root: ServerRoot;
  analyzeNotebookFile: AnalyzeNotebookFile;
  maxBodyBytes: number;
  /** Default `/api/analyze`; `/api/annotate` answers the proposal with the same request. */
  path?: string;
}

/** `POST /api/analyze` with `{ path, cells? }`: answers the notebook's pipeline IR. */
export function analyzeRoute(options: AnalyzeRouteOptions): Route {
  return {
    method: 'POST',
    path: options.path ?? '/api/analyze',
    handle: async ({ request }) => {
      const body = await readJsonBody(request, options.maxBodyBytes);
      const { path: requested, cells } = parseAnalyzeRequest(body);
      const absolutePath = await resolveFileInsideRoot(options.root, requested);
      try {
        return {
          status: 200,
          body: await options.analyzeNotebookFile(absolutePath, cells)
        };
      } catch (error) {
        throw analysisError(error, requested);
      }
    }
  };
}

function parseAnalyzeRequest(body: unknown): AnalyzeRequest {
  const hint =
    'Send {"path": "<notebook path relative to the Jupyter root>"}, with "cells": [<nbformat cells>] for unsaved content.';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw httpError.invalidRequest('The request body is not a JSON object.', hint);
  }
  const { path, cells } = body as Record<string, unknown>;
  if (typeof path !== 'string' || path.trim() === '') {
    throw httpError.invalidRequest('"path" must be a non-empty string.', hint);
  }
  if (cells !== undefined && !Array.isArray(cells)) {
    throw httpError.invalidRequest('"cells" must be a list of notebook cells.', hint);
  }
  return cells === undefined ? { path } : { path, cells };
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
