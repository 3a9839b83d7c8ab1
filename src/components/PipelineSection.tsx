import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { Cellflow, CommandIDs, ICellflow } from '../tokens';
import { PipelinePanel } from './PipelinePanel';

/**
 * The sidebar's Pipeline section: the active notebook's steps, their data flow and its problems. It re-renders
 * on the model's `stateChanged`, and acts only through commands, so keyboard shortcuts and buttons do the same.
 */
export class PipelineSection extends VDomRenderer<ICellflow> {
  static readonly id = 'cellflow-pipeline-section';

  constructor(options: PipelineSection.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = PipelineSection.id;
    this.addClass('jp-cellflow-PipelineSection');
    this.title.label = this._trans.__('Pipeline');
    this.title.caption = this._trans.__("The active notebook's steps, their data flow and its problems");
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

export namespace PipelineSection {
  export interface IOptions {
    model: ICellflow;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
