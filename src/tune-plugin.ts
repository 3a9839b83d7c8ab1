import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { addTuneCommands } from './commands';
import { TrialsView } from './components/tune/TrialsView';
import { TuningSection } from './components/tune/TuningSection';
import { tuneIcon } from './icons';
import { ExperimentApi } from './tune/experiment-api';
import { ExperimentModel } from './tune/experiment-model';
import { TuningModel } from './tune/tuning-model';
import { CommandIDs, ICellflow, ICellflowSidebar, SidebarRank } from './tokens';

/**
 * Tuning from JupyterLab: the sidebar's Tuning section (switch, Tune… dialog, Start tuning, past experiments), one
 * trials view per experiment in the main area, and their commands.
 */
export const tunePlugin: JupyterFrontEndPlugin<void> = {
  id: 'cellflow:tuning',
  description:
    'Tunes the active notebook’s parameters (Katib’s spec), shows each experiment’s trials live, and lists past experiments.',
  autoStart: true,
  requires: [ICellflow, ICellflowSidebar],
  optional: [ITranslator, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    cellflow: ICellflow,
    cellflowSidebar: ICellflowSidebar,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null
  ): void => {
    translator = translator ?? nullTranslator;
    const trans = translator.load('cellflow');
    const api = new ExperimentApi(app.serviceManager.serverSettings);
    const tuning = new TuningModel({ cellflow, api, translator });
    const tracker = new WidgetTracker<MainAreaWidget<TrialsView>>({ namespace: 'cellflow-experiment' });

    const openExperiment = async (experimentId: string, notebookPath: string): Promise<void> => {
      const open = tracker.find(widget => widget.content.model.experimentId === experimentId);
      if (open) {
        app.shell.activateById(open.id);
        return;
      }
      const model = new ExperimentModel({ experimentId, notebookPath, api, translator: translator ?? undefined });
      const content = new TrialsView({ model, commands: app.commands, translator: translator ?? undefined });
      const widget = new MainAreaWidget({ content });
      widget.id = `cellflow-trials-view-${experimentId}`;
      widget.title.icon = tuneIcon;
      widget.title.label = trans.__('Experiment %1', experimentId.slice(-6));
      widget.title.closable = true;
      model.stateChanged.connect(() => {
        const record = model.record;
        if (record) {
          widget.title.caption = trans.__('%1: experiment %2 (%3)', record.notebookPath, experimentId, record.status);
        }
      });
      model.finished.connect(() => {
        if (notebookPath === cellflow.notebookPath) {
          void tuning.refreshExperiments();
        }
      });
      widget.disposed.connect(() => model.dispose());
      app.shell.add(widget, 'main');
      void tracker.add(widget);
      await model.start();
    };

    const section = new TuningSection({ model: tuning, commands: app.commands, translator });
    cellflowSidebar.addSection(section, { rank: SidebarRank.tuning });

    addTuneCommands(
      app,
      { tuning, openExperiment, showSection: () => cellflowSidebar.showSection(section) },
      trans,
      palette
    );

    if (restorer) {
      void restorer.restore(tracker, {
        command: CommandIDs.openExperiment,
        args: widget => ({ experimentId: widget.content.model.experimentId, path: widget.content.model.notebookPath }),
        name: widget => widget.content.model.experimentId
      });
    }
  }
};
