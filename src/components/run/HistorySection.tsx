import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { RunSidebarModel } from '../../run/run-sidebar-model';
import { CommandIDs } from '../../tokens';
import { RunHistory } from './RunHistory';

/** The sidebar's History section: the active notebook's past runs, to open or run again. */
export class HistorySection extends VDomRenderer<RunSidebarModel> {
  static readonly id = 'cellflow-history-section';

  constructor(options: HistorySection.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = HistorySection.id;
    this.addClass('jp-cellflow-HistorySection');
    this.title.label = this._trans.__('History');
    this.title.caption = this._trans.__("The notebook's past runs: open one, or run it again with its parameters");
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    if (model.cellflow.notebookPath === null) {
      return (
        <div className="jp-cellflow-Panel">
          <p className="jp-cellflow-Empty">{trans.__('Open a notebook to see its past runs.')}</p>
        </div>
      );
    }
    const execute = (command: string, args: Record<string, string>) =>
      void this._commands.execute(command, args).catch(error => console.error('cellflow:', error));
    return (
      <div className="jp-cellflow-Panel">
        <RunHistory
          runs={model.runs}
          error={model.historyError}
          onOpen={run => execute(CommandIDs.openRun, { runId: run.id, path: run.notebookPath })}
          onRunAgain={run => execute(CommandIDs.runAgain, { runId: run.id, path: run.notebookPath })}
          onRefresh={() => void model.refreshHistory()}
          trans={trans}
        />
      </div>
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace HistorySection {
  export interface IOptions {
    model: RunSidebarModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
