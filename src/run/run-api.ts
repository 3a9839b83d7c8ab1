/**
 * The run routes of the backend, each one call of the one request helper (request.ts). Event streams and files
 * the browser fetches itself (EventSource, <img>, <iframe>) get their URLs here, under the same base URL.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import type {
  CancelResult,
  CompileRequest,
  CompileResult,
  CreateRunRequest,
  RunList,
  RunView,
  StepLogs
} from '../api/types';
import { requestAPI } from '../request';

export class RunApi {
  constructor(readonly serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()) {}

  compile(body: CompileRequest): Promise<CompileResult> {
    return requestAPI<CompileResult>('compile', { method: 'POST', body: JSON.stringify(body) }, this.serverSettings);
  }

  create(body: CreateRunRequest): Promise<RunView> {
    return requestAPI<RunView>('runs', { method: 'POST', body: JSON.stringify(body) }, this.serverSettings);
  }

  async list(notebookPath: string): Promise<RunView[]> {
    const query = URLExt.objectToQueryString({ path: notebookPath });
    const answer = await requestAPI<RunList>(`runs${query}`, { method: 'GET' }, this.serverSettings);
    return answer.runs;
  }

  /**
   * A run's routes take `notebookPath` (`?path=`) so a backend that has not yet seen the notebook's folder (it was
   * started again) still finds the run.
   */
  get(runId: string, notebookPath?: string): Promise<RunView> {
    return requestAPI<RunView>(this._runPath(runId, '', notebookPath), { method: 'GET' }, this.serverSettings);
  }

  cancel(runId: string, notebookPath?: string): Promise<CancelResult> {
    return requestAPI<CancelResult>(
      this._runPath(runId, '/cancel', notebookPath),
      // ServerConnection declares every request JSON, and an empty JSON body is a 400.
      { method: 'POST', body: '{}' },
      this.serverSettings
    );
  }

  logs(runId: string, step: string, notebookPath?: string): Promise<StepLogs> {
    return requestAPI<StepLogs>(
      this._runPath(runId, `/logs/${encodeURIComponent(step)}`, notebookPath),
      { method: 'GET' },
      this.serverSettings
    );
  }

  /** A run file's text (JSON and plain text are shown inline, not framed). */
  async artifactText(runId: string, path: string, notebookPath?: string): Promise<string> {
    const url = this.artifactUrl(runId, path, notebookPath);
    const response = await ServerConnection.makeRequest(url, {}, this.serverSettings);
    if (!response.ok) {
      throw new ServerConnection.ResponseError(response);
    }
    return response.text();
  }

  /** The URL of a run file: each segment of its run-relative path encoded on its own. */
  artifactUrl(runId: string, path: string, notebookPath?: string): string {
    const segments = path
      .split('/')
      .filter(segment => segment !== '')
      .map(encodeURIComponent);
    const url = this._url('runs', encodeURIComponent(runId), 'artifacts', ...segments);
    return url + this._query(notebookPath, true);
  }

  /** The event stream of a run; EventSource itself resumes a dropped stream with `Last-Event-ID`. */
  eventsUrl(runId: string, notebookPath?: string): string {
    return this._url('runs', encodeURIComponent(runId), 'events') + this._query(notebookPath, true);
  }

  private _url(...parts: string[]): string {
    return URLExt.join(this.serverSettings.baseUrl, 'cellflow', 'api', ...parts);
  }

  private _runPath(runId: string, rest: string, notebookPath?: string): string {
    return `runs/${encodeURIComponent(runId)}${rest}${this._query(notebookPath, false)}`;
  }

  /**
   * `?path=…`, and for URLs the browser fetches itself `token=…`: EventSource, <img> and <iframe> cannot send
   * Jupyter's Authorization header, and Jupyter takes the token as a query.
   */
  private _query(notebookPath: string | undefined, withToken: boolean): string {
    const query: Record<string, string> = {};
    if (notebookPath) {
      query.path = notebookPath;
    }
    if (withToken && this.serverSettings.token) {
      query.token = this.serverSettings.token;
    }
    return Object.keys(query).length > 0 ? URLExt.objectToQueryString(query) : '';
  }
}
