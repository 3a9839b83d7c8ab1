/**
 * Runs over the `Engine` interface: create (compiled in the analysis process, as `cellflow run` compiles),
 * list, get, cancel, a step's logs. Events and artifacts have their own modules.
 */
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { runError } from '../../diagnostics/codes.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { resolveParameterValues } from '../../engine/parameter-values.js';
import { recordOf } from '../../engine/run-view.js';
import type { RunRecord, RunView, StepRecord } from '../../engine/types.js';
import type { RouteDeps } from '../app.js';
import { httpError } from '../errors.js';
import { relativeToRoot, resolveFileInsideRoot, type ServerRoot } from '../paths.js';
import { inNotebook } from './notebook.js';
import {
  CancelResponseSchema,
  RunParamsSchema,
  RunsQuerySchema,
  StepLogsSchema,
  StepParamsSchema,
  SubmitRunRequestSchema
} from '../schemas/api.js';
import { errorResponses } from '../schemas/components.js';
import { RunViewSchema } from '../schemas/runs.js';
import { Type } from 'typebox';

export type SubmitRunRequest = Static<typeof SubmitRunRequestSchema>;
export type ApiRunView = Static<typeof RunViewSchema>;

/** `?path=<notebook>` on a run's routes: where to look for it when this server has not seen its folder yet. */
export const RunLookupQuerySchema = Type.Object({
  path: Type.Optional(Type.String({ minLength: 1, description: "The run's notebook, relative to the Jupyter root." }))
});
export type RunLookupQuery = Static<typeof RunLookupQuerySchema>;

export function runRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: SubmitRunRequest }>(
    '/api/runs',
    {
      schema: {
        summary: 'Compiles the saved notebook and starts a run on the embedded engine.',
        body: SubmitRunRequestSchema,
        response: { 201: RunViewSchema, ...errorResponses(400, 404, 413, 415, 422) }
      }
    },
    async (request, reply) => {
      const body = request.body;
      const file = await resolveFileInsideRoot(deps.root, body.path);
      const result = await inNotebook(body.path, () => deps.work.compile(file));
      if ('errors' in result) throw notebookHasErrors(result.errors);
      const { compiled } = result;
      const parameters = resolveParameterValues(compiled.local.plan.parameters, body.parameters ?? {});
      const engine = deps.runs.forNotebook(file);
      const run = await engine.submit(compiled, {
        parameters,
        useCache: body.useCache,
        concurrency: body.concurrency,
        ...(body.only === undefined ? {} : { only: body.only }),
        ...(body.from === undefined ? {} : { from: body.from })
      });
      // The run goes on without this request; how it ends is in its record and events.
      run.done.catch((error: unknown) => request.log.error(error));
      reply.code(201);
      return apiRunView(await engine.get(run.id), deps.root);
    }
  );

  app.get<{ Querystring: Static<typeof RunsQuerySchema> }>(
    '/api/runs',
    {
      schema: {
        summary: "The notebook's runs, newest first.",
        querystring: RunsQuerySchema,
        response: { 200: Type.Object({ runs: Type.Array(RunViewSchema) }), ...errorResponses(400, 404) }
      }
    },
    async request => {
      const file = await resolveFileInsideRoot(deps.root, request.query.path);
      const runs = await deps.runs.forNotebook(file).list({ notebookPath: file });
      return { runs: runs.map(run => apiRunView(run, deps.root)) };
    }
  );

  app.get<{ Params: Static<typeof RunParamsSchema>; Querystring: RunLookupQuery }>(
    '/api/runs/:id',
    {
      schema: {
        summary: "A run's record, with its steps' states.",
        params: RunParamsSchema,
        querystring: RunLookupQuerySchema,
        response: { 200: RunViewSchema, ...errorResponses(400, 404) }
      }
    },
    async request => {
      const { run } = await locate(deps, request.params.id, request.query.path);
      return apiRunView(run, deps.root);
    }
  );

  app.post<{ Params: Static<typeof RunParamsSchema>; Querystring: RunLookupQuery }>(
    '/api/runs/:id/cancel',
    {
      schema: {
        summary: 'Asks the run to stop; a finished run stays as it is.',
        params: RunParamsSchema,
        querystring: RunLookupQuerySchema,
        response: { 202: CancelResponseSchema, ...errorResponses(404) }
      }
    },
    async (request, reply) => {
      const { engine } = await locate(deps, request.params.id, request.query.path);
      await engine.cancel(request.params.id);
      reply.code(202);
      return { cancelled: true as const };
    }
  );

  app.get<{ Params: Static<typeof StepParamsSchema>; Querystring: RunLookupQuery }>(
    '/api/runs/:id/logs/:step',
    {
      schema: {
        summary: 'What a step printed, whole.',
        params: StepParamsSchema,
        querystring: RunLookupQuerySchema,
        response: { 200: StepLogsSchema, ...errorResponses(404) }
      }
    },
    async request => {
      const { engine } = await locate(deps, request.params.id, request.query.path);
      return engine.logs(request.params.id, request.params.step);
    }
  );
}

/** The run and its engine; a notebook named in the request says which folder to look in first. */
export async function locate(deps: RouteDeps, runId: string, notebook?: string) {
  if (notebook !== undefined) deps.runs.forNotebook(await resolveFileInsideRoot(deps.root, notebook));
  return deps.runs.find(runId);
}

/** A run as the API shows it: the notebook relative to the root, and no server folders. */
export function apiRunView(view: RunView, root: ServerRoot): ApiRunView {
  return { ...apiRunRecord(recordOf(view), root), ...(view.interrupted ? { interrupted: true } : {}) };
}

/** A step's record without `outputsDir`, a folder of the server's. */
export function apiStepRecord(step: StepRecord): StepRecord {
  const shown = { ...step };
  delete shown.outputsDir;
  return shown;
}

/** The same for a bare record (the one `run-finished` carries). */
export function apiRunRecord(record: RunRecord, root: ServerRoot): ApiRunView {
  const steps = Object.fromEntries(Object.entries(record.steps).map(([name, step]) => [name, apiStepRecord(step)]));
  return { ...record, notebookPath: relativeToRoot(root, record.notebookPath), steps } as ApiRunView;
}

/** A notebook with errors does not run: 422 `notebook-has-errors`, every error in `diagnostics`. */
function notebookHasErrors(errors: Diagnostic[]) {
  return httpError.fromDiagnostic(runError.notebookHasErrors(errors.length), errors);
}
