import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { VDomRenderer } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { Message } from '@lumino/messaging';
import React from 'react';
import { layoutDag, DagLayout } from '../../run/dag-layout';
import { runEdges } from '../../run/run-edges';
import { RunModel } from '../../run/run-model';
import { CommandIDs } from '../../tokens';
import { DagView } from './DagView';
import { ErrorNote } from './ErrorNote';
import { formatSeconds, secondsSince, statusLabel } from './format';
import { MetricTable, StepDetails } from './StepDetails';

/** While a run goes on, its running steps' times tick this often. */
const TICK_MS = 1000;

/**
 * One run in the main area: its DAG with live statuses, the run's metrics, and the selected step's logs, metrics
 * and files. Acts through commands (cancel, run again, run a step), so the palette does the same.
 */
export class RunViewWidget extends VDomRenderer<RunModel> {
  constructor(options: RunViewWidget.IOptions) {
    super(options.model);
    this._commands = options.commands;
    this._trans = (options.translator ?? nullTranslator).load('cellflow');
    this.addClass('jp-cellflow-RunView');
    this.id = `cellflow-run-${options.model.runId}`;
  }

  protected onAfterAttach(message: Message): void {
    super.onAfterAttach(message);
    this._timer = window.setInterval(() => {
      if (this.model.record?.status === 'running' && !this.model.state?.finished) {
        this.update();
      }
    }, TICK_MS);
  }

  protected onBeforeDetach(message: Message): void {
    window.clearInterval(this._timer);
    super.onBeforeDetach(message);
  }

  protected render(): JSX.Element {
    const model = this.model;
    const trans = this._trans;
    const record = model.record;
    if (!record) {
      return (
        <div className="jp-cellflow-RunViewBody">
          {model.error ? (
            <ErrorNote error={model.error} />
          ) : (
            <p className="jp-cellflow-Empty">{trans.__('Loading…')}</p>
          )}
        </div>
      );
    }
    const now = Date.now();
    const running = record.status === 'running' && !record.interrupted;
    const seconds = record.seconds ?? (running ? secondsSince(record.startedAt, now) : null);
    const runId = record.id;
    const path = record.notebookPath;
    const execute = (command: string, args: ReadonlyPartialJSONObject) =>
      void this._commands.execute(command, args).catch(error => console.error('cellflow:', error));
    const selected = model.selectedStep;
    // A step can be restored once it ended with its snapshot taken (a succeeded or cached step of a finished run).
    const restorable = running
      ? []
      : record.stepOrder.filter(step => record.steps[step]?.status === 'succeeded' && record.steps[step]?.snapshot);
    return (
      <div className="jp-cellflow-RunViewBody" data-run-id={runId} data-status={record.status}>
        <header className="jp-cellflow-RunHeader">
          <h2>{record.notebookPath}</h2>
          <span className={`jp-cellflow-StatusBadge jp-mod-${record.status}`} data-status={record.status}>
            {record.interrupted ? trans.__('interrupted') : statusLabel(record.status, trans)}
          </span>
          <span className="jp-cellflow-RunStarted">{new Date(record.startedAt).toLocaleString()}</span>
          {seconds !== null && <span className="jp-cellflow-RunSeconds">{formatSeconds(seconds, trans)}</span>}
          <span className="jp-cellflow-RunId" title={trans.__('Run id')}>
            {runId}
          </span>
          <span className="jp-cellflow-Spacer" />
          {running && (
            <button
              className="jp-cellflow-CancelButton jp-mod-styled jp-mod-warn"
              onClick={() => execute(CommandIDs.cancelRun, { runId, path })}
            >
              {trans.__('Cancel')}
            </button>
          )}
          {!running && restorable.length > 0 && (
            <button
              className="jp-cellflow-RestoreRun jp-mod-styled"
              title={trans.__('Restore the last step of this run that succeeded and load its values into a kernel')}
              onClick={() => execute(CommandIDs.restoreStep, { runId, path })}
            >
              {trans.__('Restore run')}
            </button>
          )}
          <button
            className="jp-cellflow-RunAgain jp-mod-styled"
            disabled={running}
            onClick={() => execute(CommandIDs.runAgain, { runId, path })}
          >
            {trans.__('Run again')}
          </button>
        </header>
        {model.error && <ErrorNote error={model.error} />}
        {record.error && <ErrorNote error={record.error} />}
        {Object.keys(record.parameters).length > 0 && (
          <p className="jp-cellflow-RunParameters">
            {Object.entries(record.parameters)
              .map(([name, value]) => `${name}=${String(value)}`)
              .join(', ')}
          </p>
        )}
        <div className="jp-cellflow-RunMain">
          <div className="jp-cellflow-DagScroll">
            <DagView
              layout={this._dagLayout()}
              record={record}
              colors={model.stepColors}
              selected={selected}
              now={now}
              canRunSteps={!running}
              onSelect={step => model.selectStep(step === selected ? null : step)}
              onRunStep={step => execute(CommandIDs.runStep, { runId, path, step })}
              onRunFromStep={step => execute(CommandIDs.runFromStep, { runId, path, step })}
              trans={trans}
            />
          </div>
          <div className="jp-cellflow-RunSide">
            <h3>{trans.__('Metrics')}</h3>
            {Object.keys(record.metrics).length > 0 ? (
              <MetricTable metrics={record.metrics} />
            ) : (
              <p className="jp-cellflow-Empty">{trans.__('No metrics yet.')}</p>
            )}
            {selected ? (
              <StepDetails
                model={model}
                record={record}
                step={selected}
                onSelectCell={(cellIndex, line) => execute(CommandIDs.selectCell, { cellIndex, line: line ?? 1 })}
                onRestore={
                  restorable.includes(selected)
                    ? () => execute(CommandIDs.restoreStep, { runId, path, step: selected })
                    : undefined
                }
                trans={trans}
              />
            ) : (
              <p className="jp-cellflow-Empty">{trans.__('Select a step to see its logs, metrics and files.')}</p>
            )}
          </div>
        </div>
      </div>
    );
  }

  /** The layout changes only with the steps and their edges, not with statuses: kept between renders. */
  private _dagLayout(): DagLayout {
    const record = this.model.record!;
    const edges = runEdges(record, this.model.dependencies);
    const key = JSON.stringify([record.stepOrder, edges]);
    if (key !== this._layoutKey) {
      this._layoutKey = key;
      this._layoutCache = layoutDag(record.stepOrder.map(name => ({ name, dependencies: edges[name] })));
    }
    return this._layoutCache!;
  }

  private _commands: CommandRegistry;
  private _trans: TranslationBundle;
  private _timer = 0;
  private _layoutKey = '';
  private _layoutCache: DagLayout | null = null;
}

export namespace RunViewWidget {
  export interface IOptions {
    model: RunModel;
    commands: CommandRegistry;
    translator?: ITranslator;
  }
}
