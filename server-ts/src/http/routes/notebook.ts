/**
 * `POST /api/analyze`, `/api/compile`, `/api/annotate`: a notebook by its path, with its unsaved cells when the
 * editor has them. The work runs in the analysis process (off the event loop, with a time limit), through the
 * same functions as `cellflow analyze`, `compile` and `annotate`.
 */
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import type { Static } from 'typebox';
import { writeProgram } from '../../engine/local/engine.js';
import { STATE_DIR } from '../../engine/local/run-store.js';
import type { NotebookCell } from '../../notebook/nbformat.js';
import { HttpError, httpError } from '../errors.js';
import { relativeToRoot, resolveFileInsideRoot } from '../paths.js';
import type { RouteDeps } from '../app.js';
import { CompileResponseSchema, NotebookRequestSchema, ProposalSchema } from '../schemas/api.js';
import { errorResponses } from '../schemas/components.js';
import { PipelineIRSchema } from '../schemas/ir.js';

export type NotebookRequest = Static<typeof NotebookRequestSchema>;
export type CompileResponse = Static<typeof CompileResponseSchema>;

const notebookErrors = () => errorResponses(400, 404, 413, 415, 422);

export function notebookRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: NotebookRequest }>(
    '/api/analyze',
    {
      schema: {
        summary: "The notebook's pipeline IR: steps, what each receives and hands on, diagnostics.",
        body: NotebookRequestSchema,
        response: { 200: PipelineIRSchema, ...notebookErrors() }
      }
    },
    async request => {
      const file = await resolveFileInsideRoot(deps.root, request.body.path);
      return inNotebook(request.body.path, () => deps.work.analyze(file, cellsOf(request.body)));
    }
  );

  app.post<{ Body: NotebookRequest }>(
    '/api/compile',
    {
      schema: {
        summary: 'Compiles the notebook for the embedded engine, as `cellflow compile` does; refused with its errors.',
        body: NotebookRequestSchema,
        response: { 200: CompileResponseSchema, ...notebookErrors() }
      }
    },
    async (request): Promise<CompileResponse> => {
      const file = await resolveFileInsideRoot(deps.root, request.body.path);
      const result = await inNotebook(request.body.path, () => deps.work.compile(file, cellsOf(request.body)));
      if ('errors' in result) {
        return {
          pipelineName: pipelineName(result.ir.settings.pipeline_name, file),
          steps: result.ir.steps.map(step => step.name),
          diagnostics: result.errors
        };
      }
      const { compiled } = result;
      // Where `cellflow compile` writes it: .cellflow/compiled/<notebook name> beside the notebook.
      const programDir = path.join(path.dirname(file), STATE_DIR, 'compiled', path.basename(file, '.ipynb'));
      writeProgram(programDir, compiled.local);
      return {
        pipelineName: pipelineName(compiled.analysis.ir.settings.pipeline_name, file),
        steps: compiled.local.plan.steps.map(step => step.name),
        diagnostics: compiled.analysis.ir.diagnostics,
        programDir: relativeToRoot(deps.root, programDir)
      };
    }
  );

  app.post<{ Body: NotebookRequest }>(
    '/api/annotate',
    {
      schema: {
        summary: 'Proposed step tags for the notebook, as `cellflow annotate --json` gives them; nothing is written.',
        body: NotebookRequestSchema,
        response: { 200: ProposalSchema, ...notebookErrors() }
      }
    },
    async request => {
      const file = await resolveFileInsideRoot(deps.root, request.body.path);
      return inNotebook(request.body.path, () => deps.work.annotate(file, cellsOf(request.body)));
    }
  );
}

function cellsOf(body: NotebookRequest): NotebookCell[] | undefined {
  return body.cells?.map(cell => ({ ...cell, metadata: cell.metadata ?? {} }) as NotebookCell);
}

function pipelineName(configured: string | undefined, notebookFile: string): string {
  return configured || path.basename(notebookFile, '.ipynb');
}

/**
 * A notebook the analysis refused carries its diagnostic (422, or 404 for a file gone since it was checked);
 * anything else is a bug of ours (500, `analysis-failed`).
 */
export async function inNotebook<T>(requested: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const diagnostic = (error as { diagnostic?: unknown } | null)?.diagnostic;
    if (isDiagnosticLike(diagnostic)) throw httpError.analysisRefused(diagnostic);
    if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') throw httpError.notebookNotFound(requested);
    const failure = httpError.analysisFailed(requested, error instanceof Error ? error.message : String(error));
    failure.cause = error;
    throw failure;
  }
}

function isDiagnosticLike(value: unknown): value is { code: string; message: string; hint: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message, hint } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string' && typeof hint === 'string';
}
