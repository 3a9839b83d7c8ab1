/**
 * The experiment routes' shapes. TEMPORARY: a local alias of server-ts/src/tune/experiment.ts's ExperimentRecord
 * until the Experiments API's generated types (src/api/types.ts) land on main; then these become aliases of those.
 */
import type { ParameterValue } from '../ir';

export type TrialStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'early-stopped' | 'cancelled-by-goal';
export type ExperimentStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type TrialRecord = {
  number: number;
  assignment: Record<string, ParameterValue>;
  status: TrialStatus;
  runId: string | null;
  objective: number | null;
  metrics: Record<string, number>;
  error?: string;
  intermediate?: number[];
};

export type ExperimentRecord = {
  version: 1;
  id: string;
  notebookPath: string;
  spec: {
    objective: { type: 'minimize' | 'maximize'; goal: number | null; objectiveMetricName: string };
    algorithm: { algorithmName: string };
    parameters: { name: string; parameterType: string }[];
    parallelTrialCount: number;
    maxTrialCount: number;
    maxFailedTrialCount: number | null;
  };
  seed: number;
  status: ExperimentStatus;
  reason?: string;
  trials: TrialRecord[];
  bestTrial: number | null;
  startedAt?: string;
  finishedAt?: string;
};

export type ExperimentList = {
  experiments: ExperimentRecord[];
  unreadable: unknown[];
};

export type CreateExperimentRequest = {
  path: string;
  maxTrialCount?: number;
  parallelTrialCount?: number;
  parameters?: Record<string, ParameterValue>;
};
