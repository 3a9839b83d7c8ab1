import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Poll } from '@lumino/polling';
import { StorageSection } from './components/storage/StorageSection';
import { StorageApi } from './storage/storage-api';
import { StorageModel } from './storage/storage-model';
import { ICellflow, ICellflowSidebar, SidebarRank } from './tokens';

/**
 * The sidebar's Storage section: the snapshot store of the active notebook's folder (snapshots, bytes on disk) and
 * its clean up (`cellflow gc`).
 */
export const storagePlugin: JupyterFrontEndPlugin<void> = {
  id: 'cellflow:storage-section',
  description: "Shows the snapshot storage of the active notebook's folder in the cellflow sidebar, with clean up.",
  autoStart: true,
  requires: [ICellflow, ICellflowSidebar],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    cellflow: ICellflow,
    sidebar: ICellflowSidebar,
    translator: ITranslator | null
  ): void => {
    translator = translator ?? nullTranslator;
    const model = new StorageModel({ cellflow, api: new StorageApi(app.serviceManager.serverSettings), translator });
    const section = new StorageSection({ model, translator });
    sidebar.addSection(section, { rank: SidebarRank.storage });
    // Runs add snapshots: the numbers are read again whenever the section is opened, and every 30 s while the page
    // is visible (one small GET; runs finish in another plugin, which has no signal for others).
    sidebar.sectionToggled.connect((_, id) => {
      if (id === StorageSection.id && sidebar.isExpanded(id)) {
        void model.refresh();
      }
    });
    const poll = new Poll({
      factory: async () => {
        if (sidebar.isExpanded(section)) {
          await model.refresh();
        }
      },
      frequency: { interval: 30_000, backoff: false },
      standby: 'when-hidden'
    });
    section.disposed.connect(() => poll.dispose());
  }
};
