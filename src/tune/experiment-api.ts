/**
 * The experiment routes of the backend, each one call of the one request helper (request.ts). Every route takes
 * the notebook's path (`?path=`), so a backend started again still finds the experiment beside its notebook.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { requestAPI } from '../request';
import type { CreateExperimentRequest, ExperimentList, ExperimentView } from './experiment-types';

export class ExperimentApi {
  constructor(readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** Starts tuning the notebook with the spec in its (saved) metadata. */
  create(body: CreateExperimentRequest): Promise<ExperimentView> {
    return requestAPI<ExperimentView>(
      'experiments',
      { method: 'POST', body: JSON.stringify(body) },
      this.serverSettings
    );
  }

  list(notebookPath: string): Promise<ExperimentList> {
    return requestAPI<ExperimentList>(
      `experiments${URLExt.objectToQueryString({ path: notebookPath })}`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  get(id: string, notebookPath: string): Promise<ExperimentView> {
    return requestAPI<ExperimentView>(this._path(id, '', notebookPath), { method: 'GET' }, this.serverSettings);
  }

  /** Answers once the experiment's trials have stopped; 409 `experiment-not-running` when another process runs it. */
  cancel(id: string, notebookPath: string): Promise<ExperimentView> {
    // ServerConnection declares every request JSON, and an empty JSON body is a 400.
    return requestAPI<ExperimentView>(
      this._path(id, '/cancel', notebookPath),
      { method: 'POST', body: '{}' },
      this.serverSettings
    );
  }

  resume(id: string, notebookPath: string): Promise<ExperimentView> {
    return requestAPI<ExperimentView>(
      this._path(id, '/resume', notebookPath),
      { method: 'POST', body: '{}' },
      this.serverSettings
    );
  }

  private _path(id: string, rest: string, notebookPath: string): string {
    return `experiments/${encodeURIComponent(id)}${rest}${URLExt.objectToQueryString({ path: notebookPath })}`;
  }
}
