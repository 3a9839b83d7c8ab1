import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addRunCommands } from './commands';
import { HistorySection } from './components/run/HistorySection';
import { RunSection } from './components/run/RunSection';
import { RunViewWidget } from './components/run/RunViewWidget';
import { runIcon } from './icons';
import type { RunRecord } from './api/types';
import type { PipelineIR } from './ir';
import { requestAPI } from './request';
import { RunLauncher } from './run/launcher';
import { EngineKind } from './run/notebook-settings';
import { RunApi } from './run/run-api';
import { recordHasEdges } from './run/run-edges';
import { RunModel } from './run/run-model';
import { RunSidebarModel } from './run/run-sidebar-model';
import { stepColors, stepsInNotebookOrder } from './step-colors';
import { CommandIDs, ICellflow, ICellflowSidebar, SidebarRank } from './tokens';

/**
 * Compile and run from JupyterLab: two sections of the cellflow sidebar (Run: settings, parameters, Compile /
 * Compile and Run; History: past runs), one run view per run in the main area, and their commands.
 */
export const runPlugin: JupyterFrontEndPlugin<void> = {
  id: 'cellflow:runs',
  description: 'Compiles and runs the active notebook’s pipeline, shows each run live, and lists past runs.',
  autoStart: true,
  requires: [ICellflow, ICellflowSidebar],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    cellflow: ICellflow,
    cellflowSidebar: ICellflowSidebar,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('cellflow');
    const api = new RunApi(app.serviceManager.serverSettings);
    const launcher = new RunLauncher({ cellflow, api, translator });
    const sidebarModel = new RunSidebarModel({ cellflow, launcher, api, translator });
    const tracker = new WidgetTracker<MainAreaWidget<RunViewWidget>>({ namespace: 'cellflow-run' });
    let lastStarted: RunModel | null = null;

    const openRun = async (runId: string, notebookPath?: string): Promise<void> => {
      const open = tracker.find(widget => widget.content.model.runId === runId);
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const model = new RunModel({ runId, api, notebookPath, translator: translator ?? undefined });
      const content = new RunViewWidget({ model, commands: app.commands, translator: translator ?? undefined });
      const widget = new MainAreaWidget({ content });
      widget.id = `cellflow-run-view-${runId}`;
      widget.title.icon = runIcon;
      widget.title.label = trans.__('Run %1', runId.slice(-6));
      widget.title.closable = true;
      model.finished.connect((_, record) => {
        if (lastStarted === model) {
          launcher.noteRunFinished();
        }
        if (record.notebookPath === cellflow.notebookPath) {
          void sidebarModel.refreshHistory();
        }
        app.commands.notifyCommandChanged(CommandIDs.cancelRun);
      });
      model.stateChanged.connect(() => {
        const record = model.record;
        if (record) {
          widget.title.caption = trans.__('%1: run %2 (%3)', record.notebookPath, runId, record.status);
        }
      });
      widget.disposed.connect(() => model.dispose());
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      await model.start();
      const record = model.record;
      if (record) {
        const ir = await pipelineOf(record);
        if (ir && !model.isDisposed) {
          model.setPipeline(
            Object.fromEntries(ir.steps.map(step => [step.name, step.dependencies])),
            stepColors(stepsInNotebookOrder(ir.steps))
          );
        } else if (!model.isDisposed && recordHasEdges(record)) {
          // The plan lists steps in notebook order, so these are the colours the run's cells had.
          model.setPipeline({}, stepColors(record.stepOrder));
        }
      }
      if (lastStarted === model && model.state?.finished) {
        launcher.noteRunFinished();
      }
    };

    // The DAG's edges come from the run record (run/run-edges.ts); the notebook's analysis gives the colours its
    // cells have (the sidebar's when it is that notebook's), and the edges of records older than `after`.
    const pipelineOf = async (record: RunRecord): Promise<PipelineIR | null> => {
      const path = record.notebookPath;
      if (cellflow.notebookPath === path && cellflow.ir) {
        return cellflow.ir;
      }
      if (recordHasEdges(record)) {
        // No request for a notebook that may have changed since: the view colours the steps in the record's order.
        return null;
      }
      try {
        return await requestAPI<PipelineIR>(
          'analyze',
          { method: 'POST', body: JSON.stringify({ path }) },
          app.serviceManager.serverSettings
        );
      } catch {
        // Without it the DAG still shows, its edges from where each step's values came from.
        return null;
      }
    };

    launcher.runStarted.connect((_, run) => {
      void openRun(run.id, run.notebookPath).then(() => {
        lastStarted = tracker.find(widget => widget.content.model.runId === run.id)?.content.model ?? null;
        if (lastStarted?.state?.finished) {
          launcher.noteRunFinished();
        }
      });
    });

    const runSection = new RunSection({ model: sidebarModel, commands: app.commands, translator });
    cellflowSidebar.addSection(runSection, { rank: SidebarRank.run, stretch: 2 });
    cellflowSidebar.addSection(new HistorySection({ model: sidebarModel, commands: app.commands, translator }), {
      rank: SidebarRank.history
    });

    addRunCommands(
      app,
      {
        cellflow,
        launcher,
        sidebar: sidebarModel,
        api,
        openRun,
        currentRun: () => tracker.currentWidget?.content.model ?? lastStarted,
        // The Run section shows the stages, and why a run cannot start.
        showRunSection: () => cellflowSidebar.showSection(runSection)
      },
      trans,
      palette
    );

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openRun,
        args: widget => ({ runId: widget.content.model.runId, path: widget.content.model.notebookPath ?? null }),
        name: widget => widget.content.model.runId
      });
    }

    if (settingRegistry) {
      settingRegistry
        .load('cellflow:plugin')
        .then(settings => {
          const apply = () => {
            sidebarModel.defaultEngine = (settings.get('defaultEngine').composite as EngineKind) ?? 'local';
            sidebarModel.defaultConcurrency = (settings.get('concurrency').composite as number) ?? 4;
            sidebarModel.stateChanged.emit();
          };
          apply();
          settings.changed.connect(apply);
        })
        .catch(reason => console.error('cellflow: failed to load settings.', reason));
    }
  }
};
