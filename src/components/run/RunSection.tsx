import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { RunSidebarModel } from '../../run/run-sidebar-model';
import { CommandIDs } from '../../tokens';
import { ParametersForm } from './ParametersForm';
import { RunControls } from './RunControls';
import { RunSettingsForm } from './RunSettingsForm';

/**
 * The sidebar's Run section: the notebook's pipeline settings, the parameters of the next run, and Compile /
 * Compile and Run with their stages. Buttons act through commands, as the palette and shortcuts do.
 */
export class RunSection extends VDomRenderer<RunSidebarModel> {
  static readonly id = 'cellflow-run-section';

  constructor(options: RunSection.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = RunSection.id;
    this.addClass('jp-cellflow-RunSection');
    this.title.label = this._trans.__('Run');
    this.title.caption = this._trans.__("The notebook's pipeline settings, the next run's parameters, Compile and Run");
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
    const execute = (command: string) =>
      void this._commands.execute(command).catch(error => console.error('cellflow:', error));
    return (
      <div className="jp-cellflow-Panel">
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
      </div>
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace RunSection {
  export interface IOptions {
    model: RunSidebarModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
