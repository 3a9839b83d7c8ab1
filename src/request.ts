import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Cellflow } from './tokens';

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
    const failure = (data as Partial<Cellflow.IErrorResponse> | null)?.error;
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
