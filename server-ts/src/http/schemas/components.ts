/**
 * The named schemas of the API: registered once with Fastify (`addSchema`), referenced by the routes' answers,
 * and so named in the OpenAPI document's `components.schemas` and in the frontend's generated types.
 */
import { ErrorBodySchema, HealthResponseSchema, CompileResponseSchema, ProposalSchema, StepLogsSchema } from './api.js';
import { DiagnosticSchema, PipelineIRSchema } from './ir.js';
import { RunViewSchema, SequencedRunEventSchema } from './runs.js';
import { ExperimentViewSchema } from './experiments.js';

export const sharedSchemas = {
  ErrorBody: ErrorBodySchema,
  Diagnostic: DiagnosticSchema,
  PipelineIR: PipelineIRSchema,
  CompileResponse: CompileResponseSchema,
  Proposal: ProposalSchema,
  HealthResponse: HealthResponseSchema,
  RunView: RunViewSchema,
  SequencedRunEvent: SequencedRunEventSchema,
  StepLogs: StepLogsSchema,
  ExperimentView: ExperimentViewSchema
};

export type SharedSchemaName = keyof typeof sharedSchemas;

/** A reference to a shared schema, as a route's response. */
export const ref = (name: SharedSchemaName) => ({ $ref: `${name}#` });

/** The error statuses a route may answer, each `{ error: { code, message, hint } }`. */
export function errorResponses(...statuses: number[]) {
  const all = [...new Set([...statuses, 401, 403, 500])].sort();
  return Object.fromEntries(all.map(status => [status, ref('ErrorBody')]));
}
