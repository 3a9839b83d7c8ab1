/**
 * "Restore this step" and "Restore best trial": the backend writes the restored folder, the restored notebook opens,
 * and once its kernel is ready `cellflow:restore-state` loads the step's values into it, the command a person runs
 * by hand on a restored notebook.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import type { RestoreRequest, RestoreResult } from './api/types';
import { RestoreApi } from './restore-api';
import { CommandIDs, ICellflow } from './tokens';

/** How long the opened notebook may take to become the one the cellflow model follows (it is activated first). */
const FOLLOW_TIMEOUT_MS = 30000;

export async function restoreAndOpen(
  app: JupyterFrontEnd,
  cellflow: ICellflow,
  api: RestoreApi,
  request: RestoreRequest,
  trans: TranslationBundle
): Promise<RestoreResult> {
  const result = await api.restore(request);
  const widget = await app.commands.execute('docmanager:open', { path: result.notebook, factory: 'Notebook' });
  if (!(widget instanceof NotebookPanel)) {
    throw new Error(trans.__('The restored notebook %1 did not open as a notebook.', result.notebook));
  }
  await widget.context.ready;
  await widget.sessionContext.ready;
  app.shell.activateById(widget.id);
  // `cellflow:restore-state` acts on the notebook the model follows: the one just activated.
  await followed(cellflow, widget, trans);
  await app.commands.execute(CommandIDs.restoreState);
  return result;
}

function followed(cellflow: ICellflow, panel: NotebookPanel, trans: TranslationBundle): Promise<void> {
  if (cellflow.notebook === panel) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const check = () => {
      if (cellflow.notebook === panel) {
        done();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(trans.__('The restored notebook did not become the active notebook; run Restore State in it.')));
    }, FOLLOW_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      cellflow.stateChanged.disconnect(check);
    };
    cellflow.stateChanged.connect(check);
  });
}
