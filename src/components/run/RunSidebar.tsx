import { PathExt } from '@jupyterlab/coreutils';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { runIcon } from '../../icons';
import { RunSidebarModel } from '../../run/run-sidebar-model';
import { CommandIDs, RUN_SIDEBAR_ID } from '../../tokens';
import { ParametersForm } from './ParametersForm';
import { RunControls } from './RunControls';
import { RunHistory } from './RunHistory';
import { RunSettingsForm } from './RunSettingsForm';

/**
 * The run sidebar: the notebook's pipeline settings, the parameters of the next run, Compile and Compile and Run,
 * and the notebook's past runs. Buttons act through commands, as the palette and shortcuts do.
 */
export class RunSidebar extends VDomRenderer<RunSidebarModel> {
  constructor(options: RunSidebar.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = RUN_SIDEBAR_ID;
    this.addClass('jp-cellflow-Sidebar');
    this.addClass('jp-cellflow-RunSidebar');
    this.title.icon = runIcon;
    this.title.caption = this._trans.__('Pipeline runs (cellflow)');
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    const path = model.cellflow.notebookPath;
    const settings = model.settings;
    if (path === null || settings === null) {
      return (
        <div className="jp-cellflow-Panel">
          <p className="jp-cellflow-Empty">{trans.__('Open a notebook to compile and run its pipeline.')}</p>
        </div>
      );
    }
    const execute = (command: string, args: Record<string, string> = {}) =>
      void this._commands.execute(command, args).catch(error => console.error('cellflow:', error));
    return (
      <div className="jp-cellflow-Panel">
        <header className="jp-cellflow-Header">
          <span className="jp-cellflow-NotebookName" title={path}>
            {PathExt.basename(path)}
          </span>
        </header>
        <section className="jp-cellflow-Section">
          <h3 className="jp-cellflow-SectionTitle">{trans.__('Settings')}</h3>
          <RunSettingsForm
            notebookPath={path}
            settings={settings}
            defaultEngine={model.defaultEngine}
            defaultConcurrency={model.defaultConcurrency}
            onChange={change => model.updateSettings(change)}
            trans={trans}
          />
        </section>
        <section className="jp-cellflow-Section">
          <h3 className="jp-cellflow-SectionTitle">{trans.__('Parameters')}</h3>
          <ParametersForm
            formKey={`${path}#${model.editsGeneration}`}
            parameters={model.parameters}
            edits={model.edits}
            onEdit={(name, value) => model.setEdit(name, value)}
            onReset={() => model.resetEdits()}
            trans={trans}
          />
        </section>
        <section className="jp-cellflow-Section">
          <RunControls
            launcher={model.launcher}
            blocked={model.blocked}
            onCompile={() => execute(CommandIDs.compile)}
            onCompileAndRun={() => execute(CommandIDs.compileAndRun)}
            trans={trans}
          />
        </section>
        <section className="jp-cellflow-Section">
          <h3 className="jp-cellflow-SectionTitle">{trans.__('Runs')}</h3>
          <RunHistory
            runs={model.runs}
            error={model.historyError}
            onOpen={run => execute(CommandIDs.openRun, { runId: run.id, path: run.notebookPath })}
            onRunAgain={run => execute(CommandIDs.runAgain, { runId: run.id, path: run.notebookPath })}
            onRefresh={() => void model.refreshHistory()}
            trans={trans}
          />
        </section>
      </div>
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace RunSidebar {
  export interface IOptions {
    model: RunSidebarModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
