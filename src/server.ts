import { ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { CellflowResponseError, requestAPI } from './request';
import { Cellflow } from './tokens';

/**
 * Asks the backend for its name and version; the first request also makes
 * jupyter-server-proxy start the backend process.
 *
 * @throws {CellflowResponseError} With a plain explanation when the backend is missing
 */
export async function checkBackend(
  trans: TranslationBundle,
  serverSettings?: ServerConnection.ISettings
): Promise<Cellflow.IHealth> {
  try {
    return await requestAPI<Cellflow.IHealth>('health', { method: 'GET' }, serverSettings);
  } catch (error) {
    const failure = describeFailure(error, trans);
    console.error(`cellflow: ${failure.message} ${failure.hint}`);
    throw error;
  }
}

/**
 * Turns any failed request into what the sidebar shows. A failure without a
 * cellflow error code did not come from the cellflow backend: the proxy route
 * is missing (404) or the backend process did not start.
 */
export function describeFailure(error: unknown, trans: TranslationBundle): Cellflow.IError {
  if (error instanceof CellflowResponseError && error.code !== null) {
    return {
      code: error.code,
      message: error.message,
      hint: error.hint ?? ''
    };
  }
  if (error instanceof ServerConnection.ResponseError) {
    if (error.response.status === 404) {
      return {
        code: 'backend-missing',
        message: trans.__('The cellflow backend is not installed in this Jupyter server.'),
        hint: trans.__(
          'Install the cellflow Python package (pip install cellflow), which registers the backend with jupyter-server-proxy, then restart JupyterLab.'
        )
      };
    }
    return {
      code: 'backend-unavailable',
      message: trans.__('The cellflow backend did not answer: %1', error.message),
      hint: trans.__(
        "Check that Node.js 20 or later is on the PATH of the Jupyter server, and read the Jupyter server log for the backend's own error."
      )
    };
  }
  if (error instanceof ServerConnection.NetworkError) {
    return {
      code: 'network-error',
      message: trans.__('Could not reach the Jupyter server: %1', error.message),
      hint: trans.__('Check that the Jupyter server is still running.')
    };
  }
  return {
    code: 'unexpected-error',
    message: error instanceof Error ? error.message : String(error),
    hint: trans.__('Open the browser console for details.')
  };
}
