import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { tagIcon } from '@jupyterlab/ui-components';
import { editCellAnnotation } from './annotation-dialog';
import { pipelineIcon, runIcon } from './icons';
import { PipelineModel } from './model';
import { RunLauncher } from './run/launcher';
import { RunApi } from './run/run-api';
import { RunModel } from './run/run-model';
import { RunSidebarModel, RunSubset } from './run/run-sidebar-model';
import { describeFailure } from './server';
import { executeInKernel, fetchStateCode, isRestoredNotebook, restoreKernelOf } from './restore-state';
import { RestoreApi } from './restore-api';
import { restoreAndOpen } from './restore-flow';
import type { RestoreRequest } from './api/types';
import { splitIntoSteps } from './split-steps';
import { editTuning } from './components/tune/TuneDialog';
import { TuningModel } from './tune/tuning-model';
import { CommandIDs, ICellflow, SIDEBAR_ID } from './tokens';

/**
 * Registers every cellflow command. Shortcuts and the notebook toolbar button
 * are declared in schema/plugin.json; the palette items are added here.
 */
export function addCommands(
  app: JupyterFrontEnd,
  model: PipelineModel,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands, shell } = app;

  commands.addCommand(CommandIDs.analyze, {
    label: trans.__('Analyze Pipeline'),
    caption: trans.__(
      'Analyze the notebook as it is now: its steps, the data each step needs and hands on, and its problems'
    ),
    icon: pipelineIcon,
    isEnabled: () => model.notebook !== null && model.status !== 'analyzing',
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      await model.analyze();
    }
  });

  commands.addCommand(CommandIDs.selectCell, {
    label: trans.__('Select Notebook Cell'),
    caption: trans.__('Select a cell of the analyzed notebook and put the cursor on a line'),
    isEnabled: () => model.notebook !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          cellIndex: {
            type: 'integer',
            minimum: 0,
            description: trans.__('0-based index of the cell to select')
          },
          line: {
            type: 'integer',
            minimum: 1,
            description: trans.__('1-based line to put the cursor on')
          },
          column: {
            type: 'integer',
            minimum: 0,
            description: trans.__('0-based column to put the cursor on')
          }
        },
        required: ['cellIndex']
      }
    },
    execute: async args => {
      const panel = model.notebook;
      const cellIndex = Number(args.cellIndex);
      if (!panel || !Number.isInteger(cellIndex)) {
        return;
      }
      const notebook = panel.content;
      const cell = notebook.widgets[cellIndex];
      if (!cell) {
        return;
      }
      shell.activateById(panel.id);
      notebook.deselectAll();
      notebook.activeCellIndex = cellIndex;
      await notebook.scrollToCell(cell, 'smart');
      const line = Number(args.line);
      if (Number.isInteger(line) && line >= 1 && cell.editor) {
        const column = Number(args.column);
        cell.editor.setCursorPosition({
          line: line - 1,
          column: Number.isInteger(column) && column >= 0 ? column : 0
        });
      }
    }
  });

  commands.addCommand(CommandIDs.openSidebar, {
    label: trans.__('Show Pipeline Sidebar'),
    caption: trans.__("Show the cellflow sidebar: the active notebook's pipeline, its runs and their settings"),
    icon: pipelineIcon,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: () => {
      shell.activateById(SIDEBAR_ID);
    }
  });

  commands.addCommand(CommandIDs.editAnnotation, {
    label: trans.__("Edit Cell's Pipeline Annotation"),
    caption: trans.__("Choose the cell's kind, step, dependencies and resources; writes Kale's cell tags"),
    icon: tagIcon,
    isEnabled: () => model.notebook !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          cellIndex: {
            type: 'integer',
            minimum: 0,
            description: trans.__('0-based index of the cell; the active cell when absent')
          }
        }
      }
    },
    execute: async args => {
      const notebook = model.notebook?.content;
      if (!notebook?.model) {
        return;
      }
      const index = args.cellIndex === undefined ? notebook.activeCellIndex : Number(args.cellIndex);
      const cells = Array.from(notebook.model.cells);
      const cell = cells[index];
      if (!cell || cell.type !== 'code') {
        return;
      }
      await editCellAnnotation(cells, cell, trans);
    }
  });

  commands.addCommand(CommandIDs.restoreState, {
    label: trans.__('Restore State'),
    caption: trans.__(
      "Load the values the restored step held into this notebook's kernel: runs the imports and functions, loads every saved value, replays the cells that recompute the rest"
    ),
    isVisible: () => isRestoredNotebook(model.notebook?.model?.metadata),
    isEnabled: () => isRestoredNotebook(model.notebook?.model?.metadata),
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      const panel = model.notebook;
      if (!panel) {
        return;
      }
      try {
        await panel.sessionContext.ready;
        const kernel = panel.sessionContext.session?.kernel;
        if (!kernel) {
          throw new Error(trans.__('The notebook has no kernel: start one, then restore its state.'));
        }
        const kernelName = restoreKernelOf(kernel.name);
        if (!kernelName) {
          throw new Error(
            trans.__(
              'Restore state needs a tslab, Deno, jslab or ijavascript kernel; this notebook runs %1.',
              kernel.name
            )
          );
        }
        const state = await fetchStateCode(panel.context.path, kernelName, app.serviceManager.serverSettings);
        await executeInKernel(kernel, state.code);
        const lines = [trans.__('Restored %1 value(s): %2', state.restored.length, state.restored.join(', '))];
        if (state.replayed.cells.length > 0) {
          lines.push(
            trans.__(
              'Recomputed %1 by replaying cell(s) %2.',
              state.replayed.names.join(', '),
              state.replayed.cells.map(cell => cell + 1).join(', ')
            )
          );
        }
        for (const { name, reason } of state.notRestored) {
          lines.push(trans.__('Not restored: %1 (%2)', name, reason));
        }
        Notification.success(lines.join('\n'), { autoClose: 10000 });
      } catch (error) {
        reportFailure(error, trans);
      }
    }
  });

  commands.addCommand(CommandIDs.splitIntoSteps, {
    label: trans.__('Split Notebook into Steps…'),
    caption: trans.__('Propose step tags from the data flow, preview them, and write them if you accept'),
    isEnabled: () => model.notebook !== null,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      const panel = model.notebook;
      const path = model.notebookPath;
      if (!panel || !path) {
        return;
      }
      const outcome = await splitIntoSteps(path, panel.context.model, trans, app.serviceManager.serverSettings);
      if (outcome === 'applied') {
        Notification.success(trans.__('Step tags written; save the notebook to keep them.'), { autoClose: 5000 });
      }
    }
  });

  // Toolbar buttons and menus ask isEnabled again only when told to.
  model.stateChanged.connect(() => {
    commands.notifyCommandChanged(CommandIDs.analyze);
    commands.notifyCommandChanged(CommandIDs.selectCell);
    commands.notifyCommandChanged(CommandIDs.splitIntoSteps);
    commands.notifyCommandChanged(CommandIDs.restoreState);
  });

  if (palette) {
    const category = trans.__('cellflow');
    palette.addItem({ command: CommandIDs.analyze, category });
    palette.addItem({ command: CommandIDs.openSidebar, category });
    palette.addItem({ command: CommandIDs.editAnnotation, category });
    palette.addItem({ command: CommandIDs.splitIntoSteps, category });
    palette.addItem({ command: CommandIDs.restoreState, category });
  }
}

/** What the run commands act on; built by the runs plugin (run-plugin.ts). */
export interface IRunCommandContext {
  cellflow: ICellflow;
  launcher: RunLauncher;
  sidebar: RunSidebarModel;
  api: RunApi;
  /** Opens (or shows again) the run view of a run. */
  openRun: (runId: string, notebookPath?: string) => Promise<void>;
  /** The run of the active run view, else the last run started here; null when there is none. */
  currentRun: () => RunModel | null;
  /** Opens the cellflow sidebar with its Run section expanded (settings, parameters, the launch's stages). */
  showRunSection: () => void;
}

/**
 * Registers compile, compile and run, cancel, and the commands a run view and the history use. The shortcut for
 * compile and run is declared in schema/plugin.json.
 */
export function addRunCommands(
  app: JupyterFrontEnd,
  context: IRunCommandContext,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const { cellflow, launcher, sidebar, api } = context;
  const runIdArgs = {
    type: 'object',
    properties: {
      runId: { type: 'string', description: trans.__('The run id') },
      path: { type: 'string', description: trans.__('The run’s notebook, relative to the Jupyter root') }
    },
    required: ['runId']
  };
  const stepArgs = {
    type: 'object',
    properties: {
      runId: { type: 'string', description: trans.__('The run whose parameters and results to reuse') },
      step: { type: 'string', description: trans.__('The step name') },
      path: { type: 'string', description: trans.__('The run’s notebook, relative to the Jupyter root') }
    },
    required: ['runId', 'step']
  };
  const canLaunch = () => cellflow.notebook !== null && !launcher.busy;

  commands.addCommand(CommandIDs.compile, {
    label: trans.__('Compile Pipeline'),
    caption: trans.__('Save the notebook, analyze it and compile it into a pipeline'),
    isEnabled: canLaunch,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      context.showRunSection();
      await launcher.compile();
    }
  });

  commands.addCommand(CommandIDs.compileAndRun, {
    label: trans.__('Compile and Run Pipeline'),
    caption: trans.__(
      'Compile the notebook and run its pipeline with the parameters typed in the sidebar’s Run section'
    ),
    icon: runIcon,
    isEnabled: canLaunch,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      // The Run section shows the stages, and why a run cannot start.
      context.showRunSection();
      await sidebar.compileAndRun();
    }
  });

  const pathArg = (args: ReadonlyPartialJSONObject) => (typeof args.path === 'string' ? args.path : undefined);
  const cancelTarget = (args: ReadonlyPartialJSONObject): { runId: string; path?: string } | null => {
    if (typeof args.runId === 'string') {
      return { runId: args.runId, path: pathArg(args) };
    }
    const current = context.currentRun();
    return current?.record?.status === 'running' ? { runId: current.runId, path: current.notebookPath } : null;
  };
  commands.addCommand(CommandIDs.cancelRun, {
    label: trans.__('Cancel Pipeline Run'),
    caption: trans.__('Stop the run shown in the active run view (or the last one started)'),
    isEnabled: args => cancelTarget(args) !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: { runId: { type: 'string', description: trans.__('The run id; default: the current run') } }
      }
    },
    execute: async args => {
      const target = cancelTarget(args);
      if (target) {
        await api.cancel(target.runId, target.path).catch(error => reportFailure(error, trans));
      }
    }
  });

  commands.addCommand(CommandIDs.openRun, {
    label: trans.__('Open Pipeline Run'),
    caption: trans.__('Show a run in its run view'),
    describedBy: { args: runIdArgs },
    execute: async args => {
      if (typeof args.runId === 'string') {
        await context.openRun(args.runId, pathArg(args));
      }
    }
  });

  // Re-runs read the past run first: its notebook and parameters.
  const rerun = async (args: ReadonlyPartialJSONObject, subset: { only?: string[]; from?: string }) => {
    if (typeof args.runId !== 'string' || launcher.busy) {
      return;
    }
    let past;
    try {
      past = await api.get(args.runId, pathArg(args));
    } catch (error) {
      return reportFailure(error, trans);
    }
    context.showRunSection();
    await launcher.submit({ path: past.notebookPath, parameters: past.parameters, ...subset });
  };

  commands.addCommand(CommandIDs.runAgain, {
    label: trans.__('Run Again with Its Parameters'),
    caption: trans.__('Run the notebook again with the parameter values of a past run'),
    isEnabled: () => !launcher.busy,
    describedBy: { args: runIdArgs },
    execute: args => rerun(args, {})
  });

  commands.addCommand(CommandIDs.runStep, {
    label: trans.__('Run This Step'),
    caption: trans.__('Run only this step; the others come from the cache or the past run'),
    isEnabled: () => !launcher.busy,
    describedBy: { args: stepArgs },
    execute: args => rerun(args, { only: [String(args.step)] })
  });

  commands.addCommand(CommandIDs.runFromStep, {
    label: trans.__('Run from This Step'),
    caption: trans.__('Run this step and every step after it; the others come from the cache or the past run'),
    isEnabled: () => !launcher.busy,
    describedBy: { args: stepArgs },
    execute: args => rerun(args, { from: String(args.step) })
  });

  // The cell badge's buttons: the notebook as it is now (saved, analyzed, compiled) with the form's parameters.
  const cellStepArgs = {
    type: 'object',
    properties: { step: { type: 'string', description: trans.__('The step name') } },
    required: ['step']
  };
  const runCellStep = async (args: ReadonlyPartialJSONObject, subset: (step: string) => RunSubset) => {
    if (typeof args.step !== 'string' || !canLaunch()) {
      return;
    }
    // The Run section shows the stages, and why a run cannot start.
    context.showRunSection();
    await sidebar.compileAndRun(subset(args.step));
  };

  commands.addCommand(CommandIDs.runCellStep, {
    label: args =>
      typeof args.step === 'string' ? trans.__('Run Step %1', args.step) : trans.__('Run This Step of the Notebook'),
    caption: trans.__(
      'Compile the notebook and run only this step with the parameters typed in the sidebar’s Run section; the others come from the cache or the last run'
    ),
    isEnabled: canLaunch,
    describedBy: { args: cellStepArgs },
    execute: args => runCellStep(args, step => ({ only: [step] }))
  });

  commands.addCommand(CommandIDs.runFromCellStep, {
    label: args =>
      typeof args.step === 'string'
        ? trans.__('Run from Step %1', args.step)
        : trans.__('Run the Notebook from This Step'),
    caption: trans.__(
      'Compile the notebook and run this step and every step after it with the parameters typed in the sidebar’s Run section'
    ),
    isEnabled: canLaunch,
    describedBy: { args: cellStepArgs },
    execute: args => runCellStep(args, step => ({ from: step }))
  });

  // Restore: the backend writes the folder, the restored notebook opens and its state is loaded into its kernel.
  const restoreApi = new RestoreApi(api.serverSettings);
  const restore = async (request: RestoreRequest, what: string) => {
    const pending = Notification.emit(trans.__('Restoring %1…', what), 'in-progress', { autoClose: false });
    try {
      await restoreAndOpen(app, cellflow, restoreApi, request, trans);
    } catch (error) {
      reportFailure(error, trans);
    } finally {
      Notification.dismiss(pending);
    }
  };
  /** The run named in the args, else the run of the active run view (or the last one started) once it ended. */
  const restoreTarget = (args: ReadonlyPartialJSONObject): { runId: string; path?: string } | null => {
    if (typeof args.runId === 'string') {
      return { runId: args.runId, path: pathArg(args) };
    }
    const current = context.currentRun();
    const status = current?.record?.status;
    return current && status && status !== 'running' ? { runId: current.runId, path: current.notebookPath } : null;
  };

  commands.addCommand(CommandIDs.restoreStep, {
    label: args =>
      typeof args.step === 'string' ? trans.__('Restore Step %1', args.step) : trans.__('Restore Pipeline Run'),
    caption: trans.__(
      "Restore a step of a run into a new folder beside its notebook (default: the run's last step that succeeded), open the restored notebook and load the step's values into its kernel"
    ),
    isEnabled: args => restoreTarget(args) !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          runId: { type: 'string', description: trans.__('The run id; default: the current run') },
          step: { type: 'string', description: trans.__('The step; default: the last that succeeded') },
          path: { type: 'string', description: trans.__('The run’s notebook, relative to the Jupyter root') }
        }
      }
    },
    execute: async args => {
      const target = restoreTarget(args);
      if (!target) {
        return;
      }
      let path = target.path;
      if (!path) {
        try {
          path = (await api.get(target.runId)).notebookPath;
        } catch (error) {
          return reportFailure(error, trans);
        }
      }
      const step = typeof args.step === 'string' ? args.step : undefined;
      await restore(
        { path, run: target.runId, ...(step ? { step } : {}) },
        step ? trans.__('step %1 of run %2', step, target.runId) : trans.__('run %1', target.runId)
      );
    }
  });

  commands.addCommand(CommandIDs.restoreBestTrial, {
    label: trans.__('Restore Best Trial'),
    caption: trans.__(
      "Restore the last step of an experiment's best trial (default: the active notebook's newest experiment with one), open it and load its state into the kernel"
    ),
    isEnabled: args => typeof args.experimentId === 'string' || cellflow.notebookPath !== null,
    describedBy: {
      args: {
        type: 'object',
        properties: {
          experimentId: { type: 'string', description: trans.__('The experiment id') },
          path: { type: 'string', description: trans.__('The experiment’s notebook, relative to the Jupyter root') }
        }
      }
    },
    execute: async args => {
      const path = pathArg(args) ?? cellflow.notebookPath;
      if (!path) {
        return;
      }
      let experimentId = typeof args.experimentId === 'string' ? args.experimentId : null;
      if (!experimentId) {
        try {
          experimentId = (await restoreApi.latestWithBestTrial(path))?.id ?? null;
        } catch (error) {
          return reportFailure(error, trans);
        }
        if (!experimentId) {
          Notification.warning(trans.__('No experiment of %1 has a best trial yet: tune it first.', path), {
            autoClose: 8000
          });
          return;
        }
      }
      await restore({ path, experiment: experimentId, best: true }, trans.__('the best trial of %1', experimentId));
    }
  });

  const refresh = () => {
    for (const id of [
      CommandIDs.compile,
      CommandIDs.compileAndRun,
      CommandIDs.cancelRun,
      CommandIDs.runAgain,
      CommandIDs.runCellStep,
      CommandIDs.runFromCellStep,
      CommandIDs.restoreStep,
      CommandIDs.restoreBestTrial
    ]) {
      commands.notifyCommandChanged(id);
    }
  };
  launcher.stateChanged.connect(refresh);
  cellflow.stateChanged.connect(refresh);

  if (palette) {
    const category = trans.__('cellflow');
    for (const command of [
      CommandIDs.compile,
      CommandIDs.compileAndRun,
      CommandIDs.cancelRun,
      CommandIDs.restoreStep,
      CommandIDs.restoreBestTrial
    ]) {
      palette.addItem({ command, category });
    }
  }
}

/** What the tuning commands act on; built by the tuning plugin (tune-plugin.ts). */
export interface ITuneCommandContext {
  tuning: TuningModel;
  /** Opens (or shows again) the trials view of an experiment. */
  openExperiment: (experimentId: string, notebookPath: string) => Promise<void>;
  /** Shows the Tuning section. */
  showSection: () => void;
}

/** Registers the Tune… dialog, starting an experiment and opening one. */
export function addTuneCommands(
  app: JupyterFrontEnd,
  context: ITuneCommandContext,
  trans: TranslationBundle,
  palette: ICommandPalette | null
): void {
  const { commands } = app;
  const { tuning } = context;
  const hasNotebook = () => tuning.cellflow.notebook !== null;

  commands.addCommand(CommandIDs.editTuning, {
    label: trans.__('Tune Parameters…'),
    caption: trans.__(
      'Choose the parameters to tune and their ranges, the algorithm, the objective and the trials; writes Katib’s spec (katib_metadata) into the notebook'
    ),
    isEnabled: hasNotebook,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      if (!hasNotebook()) {
        return;
      }
      // The form is filled from the analysis: the parameters cell and the metrics.
      const ir = tuning.cellflow.ir ?? (await tuning.cellflow.analyze());
      if (!ir) {
        const failure = tuning.cellflow.error;
        Notification.error(
          failure
            ? trans.__('The notebook could not be analyzed: %1 %2', failure.message, failure.hint)
            : trans.__('The notebook could not be analyzed yet; try again in a moment.'),
          { autoClose: 8000 }
        );
        return;
      }
      const spec = await editTuning(tuning.draft(), trans);
      if (spec) {
        tuning.setSpec(spec);
      }
    }
  });

  commands.addCommand(CommandIDs.tune, {
    label: trans.__('Start Tuning'),
    caption: trans.__('Save the notebook and run an experiment of its tuning spec on the local engine'),
    isEnabled: () => hasNotebook() && !tuning.starting,
    describedBy: { args: { type: 'object', properties: {} } },
    execute: async () => {
      context.showSection();
      const record = await tuning.start();
      if (record) {
        await context.openExperiment(record.id, record.notebookPath);
      }
    }
  });

  commands.addCommand(CommandIDs.openExperiment, {
    label: trans.__('Open Experiment'),
    caption: trans.__('Show an experiment’s trials, charts and best trial (default: the notebook’s newest)'),
    describedBy: {
      args: {
        type: 'object',
        properties: {
          experimentId: { type: 'string', description: trans.__('The experiment id') },
          path: { type: 'string', description: trans.__('The experiment’s notebook, relative to the Jupyter root') }
        }
      }
    },
    execute: async args => {
      if (typeof args.experimentId === 'string') {
        const path = typeof args.path === 'string' ? args.path : tuning.cellflow.notebookPath;
        if (path) {
          await context.openExperiment(args.experimentId, path);
        }
        return;
      }
      // From the palette: the active notebook's newest experiment.
      await tuning.refreshExperiments();
      const newest = tuning.experiments[0];
      if (newest) {
        await context.openExperiment(newest.id, newest.notebookPath);
      } else if (tuning.cellflow.notebookPath) {
        Notification.info(trans.__('%1 has no experiments yet.', tuning.cellflow.notebookPath), { autoClose: 5000 });
      }
    }
  });

  const refresh = () => {
    commands.notifyCommandChanged(CommandIDs.editTuning);
    commands.notifyCommandChanged(CommandIDs.tune);
  };
  tuning.stateChanged.connect(refresh);

  if (palette) {
    const category = trans.__('cellflow');
    for (const command of [CommandIDs.editTuning, CommandIDs.tune, CommandIDs.openExperiment]) {
      palette.addItem({ command, category });
    }
  }
}

/** A failure of a command with no panel of its own to show it: a notification with what to do. */
function reportFailure(error: unknown, trans: TranslationBundle): void {
  const failure = describeFailure(error, trans);
  Notification.error(failure.hint ? `${failure.message} ${failure.hint}` : failure.message, { autoClose: false });
}
