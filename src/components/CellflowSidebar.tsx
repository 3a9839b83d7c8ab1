import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { pipelineIcon } from '../icons';
import { Cellflow, CommandIDs, ICellflow, SIDEBAR_ID } from '../tokens';
import { PipelinePanel } from './PipelinePanel';

/**
 * The left sidebar panel. It re-renders on the model's `stateChanged`, and
 * acts only through commands, so keyboard shortcuts and buttons do the same.
 */
export class CellflowSidebar extends VDomRenderer<ICellflow> {
  constructor(options: CellflowSidebar.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = SIDEBAR_ID;
    this.addClass('jp-cellflow-Sidebar');
    this.title.icon = pipelineIcon;
    this.title.caption = this._trans.__('Pipeline (cellflow)');
  }

  protected render(): JSX.Element {
    return (
      <PipelinePanel
        model={this.model}
        onAnalyze={() => void this._commands.execute(CommandIDs.analyze)}
        onSelectCell={(args: Cellflow.ISelectCellArgs) =>
          void this._commands.execute(CommandIDs.selectCell, { ...args })
        }
        trans={this._trans}
      />
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace CellflowSidebar {
  export interface IOptions {
    model: ICellflow;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
