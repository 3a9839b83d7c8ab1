/**
 * The pipeline IR and diagnostics as the backend's `POST analyze` answers them: the types generated from the
 * server's OpenAPI document (src/api/), so the frontend and the backend share one contract.
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
} from './api/types';
