/**
 * Restoring a run's step (or an experiment's best trial) into a new folder beside its notebook: the backend's
 * `POST /api/restore`, and which experiment "restore best trial" means when none is named. Each one call of the one
 * request helper (request.ts).
 */
import { ServerConnection } from '@jupyterlab/services';
import type { ExperimentList, ExperimentRecord, RestoreRequest, RestoreResult } from './api/types';
import { callAPI } from './request';

export class RestoreApi {
  constructor(readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** Writes the restored folder; answers where its notebook is and what its state holds. */
  restore(body: RestoreRequest): Promise<RestoreResult> {
    return callAPI('/api/restore', 'post', { body }, this.serverSettings);
  }

  /** The notebook's newest experiment that has a best trial; null when none has one yet. */
  async latestWithBestTrial(notebookPath: string): Promise<ExperimentRecord | null> {
    const answer: ExperimentList = await callAPI(
      '/api/experiments',
      'get',
      { query: { path: notebookPath } },
      this.serverSettings
    );
    return answer.experiments.find(experiment => experiment.bestTrial !== null) ?? null;
  }
}
