import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { backendWatch } from './backend-watch';
import type { ApiAnswer, ErrorBody, paths } from './api/types';
import { Cellflow } from './tokens';

/** Statuses with which the proxy says the backend did not answer (it may be restarting). */
const BACKEND_GONE = new Set([500, 502, 503, 504, 599]);
/** How long to wait for a restarted backend before giving up. */
const RESTART_WAIT_MS = 15000;
/** Health is checked again after this long, so a restart between requests is noticed too. */
const HEALTH_RECHECK_MS = 10000;

/**
 * The backend's error, with the code and hint its JSON body carries, so the
 * sidebar can tell people what to do rather than only what failed.
 */
export class CellflowResponseError extends ServerConnection.ResponseError {
  constructor(
    response: Response,
    message: string,
    readonly code: string | null,
    readonly hint: string | null
  ) {
    super(response, message);
  }
}

/** The API's routes under `/api/`, as the generated types name them (`analyze`, `runs/{id}`, ...). */
type EndPointOf<P> = P extends `/api/${infer E}` ? E : never;

/**
 * One route of the API, typed from the generated contract: `callAPI('/api/analyze', 'post', body)` answers
 * the IR. Path parameters are filled in by the caller (`'/api/runs/{id}'` with `{ id }`).
 */
export async function callAPI<P extends keyof paths, M extends keyof paths[P] & ('get' | 'post')>(
  route: P,
  method: M,
  options: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {},
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<ApiAnswer<P, M>> {
  let endPoint: string = route.slice('/api/'.length) as EndPointOf<P>;
  for (const [name, value] of Object.entries(options.params ?? {})) {
    endPoint = endPoint.replace(`{${name}}`, encodeURIComponent(value));
  }
  const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const init: RequestInit = { method: method.toUpperCase() };
  if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
  }
  return requestAPI<ApiAnswer<P, M>>(endPoint + query, init, serverSettings);
}

/**
 * Calls the cellflow backend, which jupyter-server-proxy serves at
 * `<baseUrl>/cellflow/`, so Jupyter's own authentication guards it.
 *
 * @param endPoint API end point, e.g. `analyze`
 * @param init Initial values for the request
 * @param serverSettings The server settings to use for the request
 * @returns The response body interpreted as JSON
 * @throws {CellflowResponseError} When the response is not ok
 * @throws {ServerConnection.NetworkError} When the server cannot be reached
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  serverSettings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  let result: T;
  try {
    result = await requestOnce<T>(endPoint, init, serverSettings);
  } catch (error) {
    if (!backendGone(error) || endPoint === 'health') {
      throw error;
    }
    // The backend crashed: the supervisor starts it again; once it answers, try once more.
    if (!(await waitForHealth(serverSettings))) {
      throw error;
    }
    result = await requestOnce<T>(endPoint, init, serverSettings);
  }
  if (endPoint === 'health') {
    backendWatch.observe(result as Cellflow.IHealth);
    lastHealthCheck = Date.now();
  } else if (Date.now() - lastHealthCheck > HEALTH_RECHECK_MS) {
    lastHealthCheck = Date.now();
    requestAPI('health', { method: 'GET' }, serverSettings).catch(() => {
      /* the next request reports it */
    });
  }
  return result;
}

let lastHealthCheck = 0;

/** A failure that came from the proxy, not from the cellflow backend. */
function backendGone(error: unknown): boolean {
  return error instanceof CellflowResponseError && error.code === null && BACKEND_GONE.has(error.response.status);
}

async function waitForHealth(serverSettings: ServerConnection.ISettings): Promise<boolean> {
  const deadline = Date.now() + RESTART_WAIT_MS;
  for (let delay = 200; Date.now() < deadline; delay = Math.min(delay * 2, 2000)) {
    try {
      await requestAPI('health', { method: 'GET' }, serverSettings);
      return true;
    } catch {
      await new Promise(resolve => setTimeout(resolve, delay));
    }
  }
  return false;
}

async function requestOnce<T>(
  endPoint: string,
  init: RequestInit,
  serverSettings: ServerConnection.ISettings
): Promise<T> {
  const requestUrl = URLExt.join(serverSettings.baseUrl, 'cellflow', 'api', endPoint);

  // The backend refuses bodies that are not declared JSON.
  const headers = new Headers(init.headers);
  if (init.body !== undefined && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }

  let response: Response;
  try {
    response = await ServerConnection.makeRequest(requestUrl, { ...init, headers }, serverSettings);
  } catch (error) {
    throw new ServerConnection.NetworkError(error as TypeError);
  }

  const text = await response.text();
  let data: unknown = text;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: an answer from Jupyter or the proxy rather than from cellflow.
    }
  }

  if (!response.ok) {
    const failure = (data as Partial<ErrorBody> | null)?.error;
    if (failure && typeof failure.message === 'string') {
      throw new CellflowResponseError(response, failure.message, failure.code ?? null, failure.hint ?? null);
    }
    // Jupyter and the proxy answer HTML pages; only short plain text is worth showing.
    const plainText = typeof data === 'string' && data.length > 0 && data.length < 300 ? data.trim() : '';
    throw new CellflowResponseError(
      response,
      plainText && !plainText.startsWith('<') ? plainText : `${response.status} ${response.statusText}`.trim(),
      null,
      null
    );
  }

  return data as T;
}
