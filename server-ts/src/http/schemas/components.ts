/** The named schemas of the OpenAPI document (`components.schemas`), and the error answers every route shares. */
import { ErrorBodySchema, HealthResponseSchema, CompileResponseSchema, ProposalSchema, StepLogsSchema } from './api.js';
import { DiagnosticSchema, PipelineIRSchema, StepSchema } from './ir.js';
import { RunRecordSchema, RunViewSchema, SequencedRunEventSchema, StepRecordSchema } from './runs.js';

export const openApiComponents = {
  ErrorBody: ErrorBodySchema,
  Diagnostic: DiagnosticSchema,
  PipelineIR: PipelineIRSchema,
  Step: StepSchema,
  CompileResponse: CompileResponseSchema,
  Proposal: ProposalSchema,
  HealthResponse: HealthResponseSchema,
  RunRecord: RunRecordSchema,
  RunView: RunViewSchema,
  StepRecord: StepRecordSchema,
  SequencedRunEvent: SequencedRunEventSchema,
  StepLogs: StepLogsSchema
};

/** The error statuses a route may answer, each `{ error: { code, message, hint } }`. */
export function errorResponses(...statuses: number[]) {
  const all = [...new Set([...statuses, 401, 403, 500])];
  return Object.fromEntries(all.map(status => [status, ErrorBodySchema]));
}
