import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { backendWatch } from './backend-watch';
import { CellDecorator } from './cell-decorator';
import { addCommands } from './commands';
import { PipelineSection } from './components/PipelineSection';
import { PipelineModel } from './model';
import { runPlugin } from './run-plugin';
import { storagePlugin } from './storage-plugin';
import { tunePlugin } from './tune-plugin';
import { checkBackend } from './server';
import { analysisDelayOf } from './settings';
import { CellflowSidebar } from './sidebar';
import { CommandIDs, ICellflow, ICellflowSidebar, SidebarRank } from './tokens';

export { ICellflow, ICellflowSidebar, Cellflow, CommandIDs, SidebarRank } from './tokens';
export type * from './ir';

const PLUGIN_ID = 'cellflow:plugin';

/**
 * The pipeline model of the active notebook, its commands and settings.
 */
const plugin: JupyterFrontEndPlugin<ICellflow> = {
  id: PLUGIN_ID,
  description:
    'Analyzes the active notebook into a pipeline (steps, data flow, diagnostics) with the cellflow backend.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator, ICommandPalette],
  provides: ICellflow,
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null,
    palette: ICommandPalette | null
  ): ICellflow => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('cellflow');
    const model = new PipelineModel({
      serverSettings: app.serviceManager.serverSettings,
      translator
    });

    // The tracker's current notebook is the last one focused, so opening the
    // sidebar does not make the analysis go away.
    model.notebook = tracker.currentWidget;
    tracker.currentChanged.connect((_, panel) => {
      model.notebook = panel;
    });

    addCommands(app, model, trans, palette);

    backendWatch.restarted.connect(() => {
      model.noteBackendRestarted();
      Notification.warning(trans.__('The cellflow backend stopped and was started again.'), { autoClose: 8000 });
      if (model.notebook && model.autoAnalyze) {
        void model.analyze();
      }
    });

    if (settingRegistry) {
      const applySettings = (settings: ISettingRegistry.ISettings) => {
        model.analysisDelay = analysisDelayOf(settings);
        model.autoAnalyze = settings.get('autoAnalyze').composite as boolean;
      };
      settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          applySettings(settings);
          settings.changed.connect(applySettings);
        })
        .catch(reason => {
          console.error('cellflow: failed to load settings.', reason);
        });
    }

    // Starts the backend through the proxy early and explains in the console
    // when it is missing; the sidebar shows the same on the first analysis.
    checkBackend(trans, app.serviceManager.serverSettings).catch(() => {
      /* already reported */
    });

    return model;
  }
};

/**
 * The one cellflow sidebar (left area): collapsible sections that plugins add through `ICellflowSidebar`.
 */
const sidebarPlugin: JupyterFrontEndPlugin<ICellflowSidebar> = {
  id: 'cellflow:sidebar',
  description:
    'The cellflow sidebar: one left-area tab whose collapsible sections (pipeline, run, history, …) plugins add through its token.',
  autoStart: true,
  provides: ICellflowSidebar,
  optional: [ILayoutRestorer, IStateDB, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    restorer: ILayoutRestorer | null,
    state: IStateDB | null,
    translator: ITranslator | null
  ): ICellflowSidebar => {
    const sidebar = new CellflowSidebar({
      translator: translator ?? nullTranslator,
      state: state ?? undefined,
      shell: app.shell
    });
    app.shell.add(sidebar, 'left', { rank: 700 });
    restorer?.add(sidebar, sidebar.id);
    return sidebar;
  }
};

/**
 * The sidebar's Pipeline section: the active notebook's steps and diagnostics.
 */
const pipelineSectionPlugin: JupyterFrontEndPlugin<void> = {
  id: 'cellflow:pipeline-section',
  description: "Shows the active notebook's pipeline steps and diagnostics in the cellflow sidebar.",
  autoStart: true,
  requires: [ICellflow, ICellflowSidebar],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    cellflow: ICellflow,
    sidebar: ICellflowSidebar,
    translator: ITranslator | null
  ): void => {
    const section = new PipelineSection({
      model: cellflow,
      commands: app.commands,
      translator: translator ?? nullTranslator
    });
    sidebar.addSection(section, { rank: SidebarRank.pipeline, stretch: 2 });
  }
};

/**
 * The pipeline on the cells: each step's colour and badge, what it receives
 * and hands on, and the diagnostics on their cell and line.
 */
const cellsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'cellflow:cells',
  description: 'Shows on each notebook cell its step, data flow and problems; the badge opens the annotation editor.',
  autoStart: true,
  requires: [ICellflow, INotebookTracker],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    cellflow: ICellflow,
    tracker: INotebookTracker,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('cellflow');
    const decorators = new Map<NotebookPanel, CellDecorator>();
    const decoratorOf = (panel: NotebookPanel): CellDecorator => {
      let decorator = decorators.get(panel);
      if (!decorator) {
        decorator = new CellDecorator({
          panel,
          trans,
          onEdit: cell => {
            const index = panel.content.widgets.indexOf(cell);
            panel.content.activeCellIndex = index;
            void app.commands.execute(CommandIDs.editAnnotation, { cellIndex: index });
          },
          onRun: (step, mode) => {
            void app.commands.execute(mode === 'only' ? CommandIDs.runCellStep : CommandIDs.runFromCellStep, {
              step
            });
          }
        });
        decorators.set(panel, decorator);
        panel.disposed.connect(() => {
          decorators.get(panel)?.dispose();
          decorators.delete(panel);
        });
      }
      return decorator;
    };
    // Only the followed notebook is analyzed; others keep what they showed last.
    cellflow.irChanged.connect((_, ir) => {
      const panel = cellflow.notebook;
      const ids = cellflow.analyzedCellIds;
      if (panel && ir && ids) {
        decoratorOf(panel).update({ ir, cellIds: ids });
      }
    });
  }
};

export default [plugin, sidebarPlugin, pipelineSectionPlugin, cellsPlugin, runPlugin, tunePlugin, storagePlugin];
