/**
 * The experiment routes' shapes, as the frontend names them: aliases of the types generated from the server's
 * schemas (src/api/types.ts). `ExperimentView.running`: this backend runs it (it can be cancelled here).
 */
export type {
  CreateExperimentRequest,
  ExperimentList,
  ExperimentRecord,
  ExperimentStatus,
  ExperimentView,
  TrialRecord,
  TrialStatus
} from '../api/types';
