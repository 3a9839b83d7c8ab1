/**
 * The sidebar's Tuning section: the tuning switch, the spec in a line ("Tune…" edits it), "Start tuning", and the
 * notebook's past experiments. Buttons act through commands, as the palette does.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import { TuningModel } from '../../tune/tuning-model';
import { formatValue } from '../../tune/katib-spec';
import { CommandIDs } from '../../tokens';
import { ErrorNote } from '../run/ErrorNote';

export class TuningSection extends VDomRenderer<TuningModel> {
  static readonly id = 'cellflow-tuning-section';

  constructor(options: TuningSection.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.id = TuningSection.id;
    this.addClass('jp-cellflow-TuningSection');
    this.title.label = this._trans.__('Tuning');
    this.title.caption = this._trans.__(
      "Tune the notebook's parameters (Katib's spec), start experiments and open past ones"
    );
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    const settings = model.settings;
    const path = model.cellflow.notebookPath;
    if (!settings || !path) {
      return (
        <div className="jp-cellflow-Panel">
          <p className="jp-cellflow-Empty">{trans.__('Open a notebook to tune its parameters.')}</p>
        </div>
      );
    }
    const execute = (command: string, args: Record<string, string> = {}) =>
      void this._commands.execute(command, args).catch(error => console.error('cellflow:', error));
    const spec = settings.katibMetadata;
    return (
      <div className="jp-cellflow-Panel" data-enabled={settings.enabled}>
        <label className="jp-cellflow-Field jp-mod-checkbox">
          <input
            type="checkbox"
            name="katib_run"
            checked={settings.enabled}
            onChange={event => model.setEnabled(event.target.checked)}
          />
          <span>{trans.__('Tune this notebook’s parameters')}</span>
        </label>
        {settings.enabled && (
          <>
            <p className="jp-cellflow-TuneSummary">{spec ? specSummary(spec, trans) : trans.__('No spec yet.')}</p>
            <div className="jp-cellflow-Buttons">
              <button className="jp-mod-styled jp-cellflow-TuneButton" onClick={() => execute(CommandIDs.editTuning)}>
                {trans.__('Tune…')}
              </button>
              <button
                className="jp-mod-styled jp-mod-accept jp-cellflow-StartTuningButton"
                disabled={!spec || model.starting}
                onClick={() => execute(CommandIDs.tune)}
              >
                {model.starting ? trans.__('Starting…') : trans.__('Start tuning')}
              </button>
            </div>
            {model.startError && <ErrorNote error={model.startError} />}
          </>
        )}
        <h4 className="jp-cellflow-SubTitle">
          {trans.__('Experiments')}
          <button
            className="jp-mod-styled jp-mod-minimal jp-cellflow-Refresh"
            title={trans.__('Refresh')}
            onClick={() => void model.refreshExperiments()}
          >
            ↻
          </button>
        </h4>
        {model.listError && <ErrorNote error={model.listError} />}
        {model.experiments.length === 0 ? (
          <p className="jp-cellflow-Empty">{trans.__('No experiments yet.')}</p>
        ) : (
          <ul className="jp-cellflow-ExperimentList">
            {model.experiments.map(experiment => {
              const best = experiment.trials.find(t => t.number === experiment.bestTrial);
              return (
                <li key={experiment.id} className="jp-cellflow-ExperimentItem" data-experiment-id={experiment.id}>
                  <button
                    className="jp-mod-styled jp-mod-minimal jp-cellflow-ExperimentOpen"
                    title={trans.__('Open the trials view')}
                    onClick={() =>
                      execute(CommandIDs.openExperiment, { experimentId: experiment.id, path: experiment.notebookPath })
                    }
                  >
                    <span className={`jp-cellflow-StatusBadge jp-mod-${experiment.status}`}>{experiment.status}</span>{' '}
                    {experiment.spec.algorithm.algorithmName}{' '}
                    {trans.__(
                      '%1/%2 trials',
                      experiment.trials.filter(t => t.status !== 'running').length,
                      experiment.spec.maxTrialCount
                    )}
                    {best && best.objective !== null && (
                      <span className="jp-cellflow-ExperimentBest">
                        {' '}
                        {trans.__(
                          'best %1 (%2)',
                          Number(best.objective.toPrecision(4)),
                          Object.entries(best.assignment)
                            .map(([k, v]) => `${k}=${formatValue(v)}`)
                            .join(', ')
                        )}
                      </span>
                    )}
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace TuningSection {
  export interface IOptions {
    model: TuningModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}

/** "grid over learning_rate, hidden_units; maximize hidden_test_acc; 4 trials, 2 at once". */
function specSummary(spec: Record<string, unknown>, trans: TranslationBundle): string {
  const algorithm = (spec.algorithm as { algorithmName?: string } | undefined)?.algorithmName ?? '?';
  const parameters = Array.isArray(spec.parameters)
    ? spec.parameters.map(p => String((p as { name?: unknown }).name)).join(', ')
    : '';
  const objective = (spec.objective ?? {}) as { type?: string; objectiveMetricName?: string };
  const trials =
    spec.maxTrialCount === undefined
      ? trans.__('every combination')
      : trans.__('%1 trials', String(spec.maxTrialCount));
  return trans.__(
    '%1 over %2; %3 %4; %5, %6 at once',
    algorithm,
    parameters,
    objective.type === 'minimize' ? trans.__('minimize') : trans.__('maximize'),
    objective.objectiveMetricName ?? '?',
    trials,
    String(spec.parallelTrialCount ?? 3)
  );
}
