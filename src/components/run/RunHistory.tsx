import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import type { RunView } from '../../api/types';
import { Cellflow } from '../../tokens';
import { ErrorNote } from './ErrorNote';
import { formatSeconds, statusLabel } from './format';

export interface IRunHistoryProps {
  runs: RunView[];
  error: Cellflow.IError | null;
  onOpen: (run: RunView) => void;
  onRunAgain: (run: RunView) => void;
  onRefresh: () => void;
  trans: TranslationBundle;
}

/** The notebook's runs, newest first: open one in its run view, or run it again with its parameters. */
export function RunHistory(props: IRunHistoryProps): JSX.Element {
  const { runs, trans } = props;
  return (
    <div className="jp-cellflow-RunHistory">
      <button className="jp-cellflow-LinkButton" onClick={props.onRefresh}>
        {trans.__('Refresh')}
      </button>
      {props.error && <ErrorNote error={props.error} />}
      {runs.length === 0 ? (
        <p className="jp-cellflow-Empty">{trans.__('No runs yet.')}</p>
      ) : (
        <ol className="jp-cellflow-RunList">
          {runs.map(run => (
            <li key={run.id} className={`jp-cellflow-RunItem jp-mod-${run.status}`} data-run-id={run.id}>
              <button
                className="jp-cellflow-RunOpen"
                title={trans.__('Open run %1', run.id)}
                onClick={() => props.onOpen(run)}
              >
                <span className="jp-cellflow-RunStatus">
                  {run.interrupted ? trans.__('interrupted') : statusLabel(run.status, trans)}
                </span>
                <span className="jp-cellflow-RunTime">{new Date(run.startedAt).toLocaleString()}</span>
                {run.seconds !== undefined && (
                  <span className="jp-cellflow-RunSeconds">{formatSeconds(run.seconds, trans)}</span>
                )}
                <span className="jp-cellflow-RunParameters">{describeParameters(run, trans)}</span>
              </button>
              <button
                className="jp-cellflow-RunAgain jp-mod-styled"
                title={trans.__('Run the notebook again with the parameters of this run')}
                onClick={() => props.onRunAgain(run)}
              >
                {trans.__('Run again')}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function describeParameters(run: RunView, trans: TranslationBundle): string {
  const entries = Object.entries(run.parameters);
  return entries.length === 0
    ? trans.__('no parameters')
    : entries.map(([name, value]) => `${name}=${String(value)}`).join(', ');
}
