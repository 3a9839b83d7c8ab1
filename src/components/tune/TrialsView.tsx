/**
 * One experiment in the main area: its trials (table: trial, parameters, status, objective, the best marked), the
 * objective per trial with the best-so-far line, and parallel coordinates of the parameters against the objective.
 * Cancel stops a running experiment; "Restore best trial" brings the best trial's notebook and state back (the
 * `cellflow:restore-best-trial` command); a trial's run opens in its run view.
 */
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import React from 'react';
import type { ExperimentRecord, TrialRecord, TrialStatus } from '../../tune/experiment-types';
import { ExperimentModel } from '../../tune/experiment-model';
import { formatValue } from '../../tune/katib-spec';
import { objectiveChartOption, parallelChartOption, trialLabel } from '../../tune/trial-charts';
import { CommandIDs } from '../../tokens';
import { ErrorNote } from '../run/ErrorNote';
import { EChart } from './EChart';

export class TrialsView extends VDomRenderer<ExperimentModel> {
  constructor(options: TrialsView.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.addClass('jp-cellflow-TrialsView');
    this.id = `cellflow-experiment-${options.model.experimentId}`;
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    const record = model.record;
    if (!record) {
      return (
        <div className="jp-cellflow-TrialsViewBody">
          {model.error ? (
            <ErrorNote error={model.error} />
          ) : (
            <p className="jp-cellflow-Empty">{trans.__('Loading…')}</p>
          )}
        </div>
      );
    }
    const execute = (command: string, args: Record<string, string>) =>
      void this._commands.execute(command, args).catch(error => console.error('cellflow:', error));
    const canRestore = record.bestTrial !== null && this._commands.hasCommand(CommandIDs.restoreBestTrial);
    return (
      <div className="jp-cellflow-TrialsViewBody" data-experiment-id={record.id} data-status={record.status}>
        <header className="jp-cellflow-RunHeader">
          <h2>{record.notebookPath}</h2>
          <span className={`jp-cellflow-StatusBadge jp-mod-${record.status}`} data-status={record.status}>
            {experimentStatusLabel(record, trans)}
          </span>
          <span className="jp-cellflow-ExperimentSummary">
            {trans.__(
              '%1, %2 of %3 trials, seed %4',
              record.spec.algorithm.algorithmName,
              record.trials.filter(t => t.status !== 'running').length,
              record.spec.maxTrialCount,
              record.seed
            )}
          </span>
          <span className="jp-cellflow-RunId" title={trans.__('Experiment id')}>
            {record.id}
          </span>
          <span className="jp-cellflow-Spacer" />
          {record.status === 'running' && record.running && (
            <button className="jp-mod-styled jp-mod-warn jp-cellflow-CancelButton" onClick={() => void model.cancel()}>
              {trans.__('Cancel')}
            </button>
          )}
          {model.resumable && (
            <button
              className="jp-mod-styled jp-cellflow-ResumeButton"
              title={trans.__('Go on with it: finished trials are kept, interrupted ones run again')}
              onClick={() => void model.resume()}
            >
              {trans.__('Resume')}
            </button>
          )}
          <button
            className="jp-mod-styled jp-mod-accept jp-cellflow-RestoreBestButton"
            disabled={!canRestore}
            title={
              record.bestTrial === null
                ? trans.__('No trial has succeeded yet.')
                : trans.__('Open the best trial’s notebook with its parameters, files and state')
            }
            onClick={() => execute(CommandIDs.restoreBestTrial, { experimentId: record.id, path: record.notebookPath })}
          >
            {trans.__('Restore best trial')}
          </button>
        </header>
        {model.error && <ErrorNote error={model.error} />}
        <TrialsBody
          record={record}
          trans={trans}
          onOpenRun={runId => execute(CommandIDs.openRun, { runId, path: record.notebookPath })}
        />
      </div>
    );
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
}

export namespace TrialsView {
  export interface IOptions {
    model: ExperimentModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}

interface ITrialsBodyProps {
  record: ExperimentRecord;
  trans: TranslationBundle;
  onOpenRun: (runId: string) => void;
}

/** The table and the charts; the charts' options are built again only when the record changed. */
function TrialsBody(props: ITrialsBodyProps): JSX.Element {
  const { record, trans } = props;
  const objective = React.useMemo(() => objectiveChartOption(record, trans), [record, trans]);
  const parallel = React.useMemo(() => parallelChartOption(record, trans), [record, trans]);
  const metric = record.spec.objective.objectiveMetricName;
  const names = record.spec.parameters.map(p => p.name);
  const trials = [...record.trials].sort((a, b) => a.number - b.number);
  return (
    <div className="jp-cellflow-TrialsLayout">
      <div className="jp-cellflow-TrialsCharts">
        <EChart
          className="jp-cellflow-Chart jp-cellflow-ObjectiveChart"
          option={objective}
          label={trans.__('%1 per trial, with the best so far', metric)}
        />
        <EChart
          className="jp-cellflow-Chart jp-cellflow-ParallelChart"
          option={parallel}
          label={trans.__('Parameters against %1', metric)}
        />
      </div>
      <table className="jp-cellflow-TrialsTable">
        <thead>
          <tr>
            <th>{trans.__('Trial')}</th>
            {names.map(name => (
              <th key={name}>{name}</th>
            ))}
            <th>{trans.__('Status')}</th>
            <th>
              {metric} ({record.spec.objective.type === 'maximize' ? trans.__('max') : trans.__('min')})
            </th>
            <th />
          </tr>
        </thead>
        <tbody>
          {trials.map(trial => {
            const best = trial.number === record.bestTrial;
            return (
              <tr
                key={trial.number}
                className={best ? 'jp-mod-best' : undefined}
                data-trial={trial.number}
                data-status={trial.status}
              >
                <td>
                  {trialLabel(trial)}
                  {best && (
                    <span className="jp-cellflow-BestMark" title={trans.__('Best trial')}>
                      {' ★ '}
                      {trans.__('best')}
                    </span>
                  )}
                </td>
                {names.map(name => (
                  <td key={name}>{formatValue(trial.assignment[name])}</td>
                ))}
                <td title={trial.error}>
                  <span className={`jp-cellflow-StatusBadge jp-mod-${trial.status}`}>
                    {trialStatusLabel(trial.status, trans)}
                  </span>
                </td>
                <td className="jp-cellflow-Objective">{objectiveText(trial)}</td>
                <td>
                  {trial.runId && (
                    <button
                      className="jp-mod-styled jp-cellflow-OpenTrialRun"
                      onClick={() => props.onOpenRun(trial.runId!)}
                    >
                      {trans.__('Run')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function objectiveText(trial: TrialRecord): string {
  if (trial.objective !== null) {
    return String(Number(trial.objective.toPrecision(6)));
  }
  const last = trial.intermediate?.[trial.intermediate.length - 1];
  return last === undefined ? '' : `(${Number(last.toPrecision(6))})`;
}

function trialStatusLabel(status: TrialStatus, trans: TranslationBundle): string {
  switch (status) {
    case 'running':
      return trans.__('running');
    case 'succeeded':
      return trans.__('succeeded');
    case 'failed':
      return trans.__('failed');
    case 'cancelled':
      return trans.__('cancelled');
    case 'early-stopped':
      return trans.__('stopped early');
    case 'cancelled-by-goal':
      return trans.__('cancelled (goal reached)');
  }
}

function experimentStatusLabel(record: ExperimentRecord, trans: TranslationBundle): string {
  switch (record.status) {
    case 'running':
      return trans.__('running');
    case 'succeeded':
      return record.reason === 'goal-reached' ? trans.__('succeeded: goal reached') : trans.__('succeeded');
    case 'failed':
      return trans.__('failed: too many failed trials');
    case 'cancelled':
      return trans.__('cancelled');
  }
}
