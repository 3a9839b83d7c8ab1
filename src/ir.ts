/**
 * The pipeline IR and diagnostics as the backend's `POST analyze` answers
 * them: one contract, declared once in server-ts/src/ir.ts. Types only, so
 * nothing of the backend is bundled into the extension.
 */
export type {
  Diagnostic,
  Language,
  Metric,
  NotebookSettings,
  Parameter,
  ParameterType,
  ParameterValue,
  PipelineIR,
  PreludeCell,
  Severity,
  Step,
  StepInput,
  StepSettings
} from '@cellflow/server/ir';
