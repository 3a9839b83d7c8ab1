/**
 * The API's shapes for the frontend, named: aliases of the types openapi-typescript generates
 * (`schema.d.ts`, from server-ts/openapi.json, which the server generates from its own schemas). One
 * contract, nothing copied by hand; `npm run api-types` regenerates them.
 */
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type PipelineIR = Schemas['PipelineIR'];
export type Diagnostic = Schemas['Diagnostic'];
export type Step = PipelineIR['steps'][number];
export type StepInput = Step['ins'][number];
export type StepSettings = Step['settings'];
export type Parameter = PipelineIR['parameters'][number];
export type ParameterValue = Parameter['default'];
export type ParameterType = Parameter['type'];
export type Metric = PipelineIR['metrics'][number];
export type PreludeCell = PipelineIR['prelude'][number];
export type NotebookSettings = PipelineIR['settings'];
export type Language = PipelineIR['language'];
export type Severity = Diagnostic['severity'];

export type CompileResponse = Schemas['CompileResponse'];
export type Proposal = Schemas['Proposal'];
export type HealthResponse = Schemas['HealthResponse'];
export type ErrorBody = Schemas['ErrorBody'];
export type RunView = Schemas['RunView'];
export type SequencedRunEvent = Schemas['SequencedRunEvent'];
export type RunEvent = SequencedRunEvent['event'];
export type StepRecord = RunView['steps'][string];
export type StepLogs = Schemas['StepLogs'];

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Operation<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON body a route takes, e.g. `ApiBody<'/api/runs', 'post'>`. */
export type ApiBody<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer T } } } ? T : never;

/** The JSON answer a route gives on success, e.g. `ApiAnswer<'/api/analyze', 'post'>`. */
export type ApiAnswer<P extends keyof paths, M extends keyof paths[P]> =
  Operation<P, M> extends { responses: infer R }
    ? JsonContent<
        R extends { 200: infer OK } ? OK : R extends { 201: infer C } ? C : R extends { 202: infer A } ? A : never
      >
    : never;

export type RunRecord = Omit<RunView, 'interrupted'>;
export type RunStatus = RunView['status'];
export type StepStatus = StepRecord['status'];
export type StepFailure = NonNullable<StepRecord['error']>;
export type DisplayArtifact = RunView['displays'][number];
export type CreateRunRequest = ApiBody<'/api/runs', 'post'>;
export type RunList = ApiAnswer<'/api/runs', 'get'>;
export type CompileRequest = ApiBody<'/api/compile', 'post'>;
export type CompileResult = CompileResponse;
export type CancelResult = ApiAnswer<'/api/runs/{id}/cancel', 'post'>;

/** Experiments (`cellflow tune` over HTTP): the record as the tuner keeps it, plus whether this server runs it. */
export type ExperimentView = Schemas['ExperimentView'];
export type ExperimentRecord = Omit<ExperimentView, 'running'>;
export type ExperimentStatus = ExperimentView['status'];
export type ExperimentSpec = ExperimentView['spec'];
export type TrialRecord = ExperimentView['trials'][number];
export type TrialStatus = TrialRecord['status'];
export type ExperimentList = ApiAnswer<'/api/experiments', 'get'>;
export type CreateExperimentRequest = ApiBody<'/api/experiments', 'post'>;
/** The snapshot store: `GET /api/snapshots`, `POST /api/gc`, pin and unpin. */
export type SnapshotList = ApiAnswer<'/api/snapshots', 'get'>;
export type SnapshotSummary = SnapshotList['snapshots'][number];
export type StoreUsage = SnapshotList['store'];
export type GcRequest = ApiBody<'/api/gc', 'post'>;
export type GcReport = ApiAnswer<'/api/gc', 'post'>;
export type PinResult = ApiAnswer<'/api/snapshots/{id}/pin', 'post'>;
/** `POST /api/restore`. */
export type RestoreRequest = ApiBody<'/api/restore', 'post'>;
export type RestoreResult = ApiAnswer<'/api/restore', 'post'>;

/** `POST /api/analyze` and `POST /api/annotate`: the notebook's path, and its unsaved cells. */
export type IAnalyzeRequest = ApiBody<'/api/analyze', 'post'>;
/** A notebook cell as the analysis reads it: nbformat JSON without outputs. */
export type IAnalysisCell = NonNullable<IAnalyzeRequest['cells']>[number];
/** `POST /api/annotate`: the proposed tags for a notebook without step tags. */
export type IAnnotateProposal = Proposal;

export type { components, paths };
