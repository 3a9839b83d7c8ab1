/**
 * The experiment routes of the backend, each one call of the one request helper (request.ts). Every route takes
 * the notebook's path (`?path=`), so a backend started again still finds the experiment beside its notebook.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { requestAPI } from '../request';
import type { CreateExperimentRequest, ExperimentList, ExperimentRecord } from './experiment-types';

export class ExperimentApi {
  constructor(readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  /** Starts tuning the notebook with the spec in its (saved) metadata. */
  create(body: CreateExperimentRequest): Promise<ExperimentRecord> {
    return requestAPI<ExperimentRecord>(
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

  get(id: string, notebookPath: string): Promise<ExperimentRecord> {
    return requestAPI<ExperimentRecord>(this._path(id, '', notebookPath), { method: 'GET' }, this.serverSettings);
  }

  cancel(id: string, notebookPath: string): Promise<unknown> {
    // ServerConnection declares every request JSON, and an empty JSON body is a 400.
    return requestAPI(this._path(id, '/cancel', notebookPath), { method: 'POST', body: '{}' }, this.serverSettings);
  }

  resume(id: string, notebookPath: string): Promise<ExperimentRecord> {
    return requestAPI<ExperimentRecord>(
      this._path(id, '/resume', notebookPath),
      { method: 'POST', body: '{}' },
      this.serverSettings
    );
  }

  private _path(id: string, rest: string, notebookPath: string): string {
    return `experiments/${encodeURIComponent(id)}${rest}${URLExt.objectToQueryString({ path: notebookPath })}`;
  }
}
