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

  get(runId: string): Promise<RunView> {
    return requestAPI<RunView>(`runs/${encodeURIComponent(runId)}`, { method: 'GET' }, this.serverSettings);
  }

  cancel(runId: string): Promise<CancelResult> {
    return requestAPI<CancelResult>(`runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' }, this.serverSettings);
  }

  logs(runId: string, step: string): Promise<StepLogs> {
    return requestAPI<StepLogs>(
      `runs/${encodeURIComponent(runId)}/logs/${encodeURIComponent(step)}`,
      { method: 'GET' },
      this.serverSettings
    );
  }

  /** A run file's text (JSON and plain text are shown inline, not framed). */
  async artifactText(runId: string, path: string): Promise<string> {
    const response = await ServerConnection.makeRequest(this.artifactUrl(runId, path), {}, this.serverSettings);
    if (!response.ok) {
      throw new ServerConnection.ResponseError(response);
    }
    return response.text();
  }

  /** The URL of a run file: each segment of its run-relative path encoded on its own. */
  artifactUrl(runId: string, path: string): string {
    const segments = path.split('/').filter(segment => segment !== '').map(encodeURIComponent);
    return this._withToken(this._url('runs', encodeURIComponent(runId), 'artifacts', ...segments));
  }

  /** The event stream of a run; EventSource itself resumes a dropped stream with `Last-Event-ID`. */
  eventsUrl(runId: string): string {
    return this._withToken(this._url('runs', encodeURIComponent(runId), 'events'));
  }

  private _url(...parts: string[]): string {
    return URLExt.join(this.serverSettings.baseUrl, 'cellflow', 'api', ...parts);
  }

  // EventSource, <img> and <iframe> cannot send Jupyter's Authorization header; Jupyter takes the token as a query.
  private _withToken(url: string): string {
    const token = this.serverSettings.token;
    return token ? `${url}?${URLExt.objectToQueryString({ token }).slice(1)}` : url;
  }
}
