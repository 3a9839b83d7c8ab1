import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { tagIcon } from '@jupyterlab/ui-components';
import { editCellAnnotation } from './annotation-dialog';
import { pipelineIcon } from './icons';
import { PipelineModel } from './model';
import { splitIntoSteps } from './split-steps';
import { CommandIDs, SIDEBAR_ID } from './tokens';

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
    caption: trans.__("Show the active notebook's pipeline"),
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
  });

  if (palette) {
    const category = trans.__('cellflow');
    palette.addItem({ command: CommandIDs.analyze, category });
    palette.addItem({ command: CommandIDs.openSidebar, category });
    palette.addItem({ command: CommandIDs.editAnnotation, category });
    palette.addItem({ command: CommandIDs.splitIntoSteps, category });
  }
}
