/**
 * Experiments over the `Engine` interface, as `cellflow tune` runs them: list, start (from the saved notebook's
 * `katib_metadata`, compiled in the analysis process as `POST /api/runs` compiles), get, cancel and resume. The
 * server holds an AbortController per experiment it runs (running-experiments.ts); records are the tuner's own
 * files (`.cellflow/experiments/<id>/experiment.json`), so the CLI and the server see the same experiments.
 */
import type { FastifyInstance } from 'fastify';
import { realpathSync } from 'node:fs';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { NotebookHasErrors, type CompiledNotebook } from '../../compile/index.js';
import { runError, tuneError } from '../../diagnostics/codes.js';
import { CellflowError } from '../../diagnostics/diagnostic.js';
import { ExperimentFiles } from '../../tune/experiment-store.js';
import type { ExperimentRecord } from '../../tune/experiment.js';
import {
  experimentStateDir,
  prepareExperiment,
  startExperiment,
  type ExperimentStartOptions
} from '../../tune/start.js';
import type { RouteDeps } from '../app.js';
import { httpError } from '../errors.js';
import { relativeToRoot, resolveFileInsideRoot, type ServerRoot } from '../paths.js';
import { errorResponses, ref } from '../schemas/components.js';
import {
  CreateExperimentRequestSchema,
  ExperimentParamsSchema,
  ExperimentViewSchema,
  ExperimentsQuerySchema,
  UnreadableExperimentsSchema
} from '../schemas/experiments.js';
import { inNotebook } from './notebook.js';

export type ApiExperimentView = Static<typeof ExperimentViewSchema>;
type IdRoute = { Params: Static<typeof ExperimentParamsSchema>; Querystring: Static<typeof ExperimentsQuerySchema> };

export function experimentRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Querystring: Static<typeof ExperimentsQuerySchema> }>(
    '/api/experiments',
    {
      schema: {
        summary: "The notebook's experiments, newest first, and the records beside it that cannot be read.",
        querystring: ExperimentsQuerySchema,
        response: {
          200: Type.Object({ experiments: Type.Array(ref('ExperimentView')), unreadable: UnreadableExperimentsSchema }),
          ...errorResponses(400, 404)
        }
      }
    },
    async request => {
      const file = await resolveFileInsideRoot(deps.root, request.query.path);
      const { records, unreadable } = new ExperimentFiles(experimentStateDir(file)).list();
      return {
        experiments: records.filter(r => isOf(r, file)).map(r => view(deps, deps.experiments.get(r.id) ?? r)),
        unreadable
      };
    }
  );

  app.post<{ Body: Static<typeof CreateExperimentRequestSchema> }>(
    '/api/experiments',
    {
      schema: {
        summary:
          "Starts an experiment from the saved notebook's tuning spec (`katib_metadata`), as `cellflow tune` does.",
        body: CreateExperimentRequestSchema,
        response: { 201: ref('ExperimentView'), ...errorResponses(400, 404, 413, 415, 422) }
      }
    },
    async (request, reply) => {
      const { path, ...options } = request.body;
      const file = await resolveFileInsideRoot(deps.root, path);
      const record = start(deps, file, await compile(deps, path, file), options);
      reply.code(201);
      return view(deps, record);
    }
  );

  app.get<IdRoute>(
    '/api/experiments/:id',
    {
      schema: {
        summary: "An experiment's record, with its trials.",
        params: ExperimentParamsSchema,
        querystring: ExperimentsQuerySchema,
        response: { 200: ref('ExperimentView'), ...errorResponses(400, 404) }
      }
    },
    async request => {
      const { record } = await find(deps, request.params.id, request.query.path);
      return view(deps, record);
    }
  );

  app.post<IdRoute>(
    '/api/experiments/:id/cancel',
    {
      schema: {
        summary: 'Cancels an experiment this server runs and answers once its trials have stopped (it can be resumed).',
        params: ExperimentParamsSchema,
        querystring: ExperimentsQuerySchema,
        response: { 200: ref('ExperimentView'), ...errorResponses(400, 404, 409) }
      }
    },
    async request => {
      const { record } = await find(deps, request.params.id, request.query.path);
      const final = await deps.experiments.cancel(record.id);
      if (!final) throw new CellflowError(tuneError.experimentNotRunningHere(record.id, record.status));
      return view(deps, final);
    }
  );

  app.post<IdRoute>(
    '/api/experiments/:id/resume',
    {
      schema: {
        summary:
          'Goes on with a stopped experiment (as `cellflow tune --resume`): finished trials are kept, interrupted ones run again.',
        params: ExperimentParamsSchema,
        querystring: ExperimentsQuerySchema,
        response: { 200: ref('ExperimentView'), ...errorResponses(400, 404, 409, 422) }
      }
    },
    async request => {
      const { file, record } = await find(deps, request.params.id, request.query.path);
      if (deps.experiments.isRunning(record.id)) throw new CellflowError(tuneError.experimentAlreadyRunning(record.id));
      return view(deps, start(deps, file, await compile(deps, request.query.path, file), { resume: record.id }));
    }
  );
}

/** The saved notebook compiled as `POST /api/runs` compiles it: its errors refuse the experiment alike. */
async function compile(deps: RouteDeps, requested: string, file: string): Promise<CompiledNotebook> {
  const result = await inNotebook(requested, () => deps.work.compile(file));
  if ('errors' in result)
    throw httpError.fromDiagnostic(runError.notebookHasErrors(result.errors.length), result.errors);
  return result.compiled;
}

/** Starts (or resumes) it in the background, held by the server; the record as it is once started. */
function start(deps: RouteDeps, file: string, compiled: CompiledNotebook, options: ExperimentStartOptions) {
  let prepared;
  try {
    prepared = prepareExperiment(compiled, options);
  } catch (error) {
    // The spec's errors, each at its cell or metadata field.
    if (error instanceof NotebookHasErrors) throw httpError.fromDiagnostic(error.diagnostic, error.diagnostics);
    throw error;
  }
  return deps.experiments.start(signal => startExperiment(compiled, prepared, deps.runs.forNotebook(file), { signal }));
}

/** The notebook's experiment by id: `unknown-experiment` (404) for an id of no experiment of this notebook. */
async function find(deps: RouteDeps, id: string, notebook: string) {
  const file = await resolveFileInsideRoot(deps.root, notebook);
  const stateDir = experimentStateDir(file);
  const record = deps.experiments.get(id) ?? new ExperimentFiles(stateDir).load(id);
  if (!isOf(record, file))
    throw new CellflowError(tuneError.unknownExperiment(id, relativeToRoot(deps.root, stateDir)));
  return { file, record };
}

/** The record names the notebook as the tuner saw it (`cellflow tune` keeps the path it was given, resolved). */
function isOf(record: ExperimentRecord, file: string): boolean {
  if (record.notebookPath === file) return true;
  try {
    return realpathSync(record.notebookPath) === file;
  } catch {
    return false;
  }
}

function view(deps: RouteDeps, record: ExperimentRecord): ApiExperimentView {
  return apiExperimentView(record, deps.root, deps.experiments.isRunning(record.id));
}

/** As the API shows it: the notebook relative to the root, and whether this server runs it. */
export function apiExperimentView(record: ExperimentRecord, root: ServerRoot, running: boolean): ApiExperimentView {
  return { ...structuredClone(record), notebookPath: relativeToRoot(root, record.notebookPath), running };
}
