import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import type { RunView } from '../../api/types';
import { RunModel } from '../../run/run-model';
import { ArtifactView } from './ArtifactView';
import { formatSeconds, statusLabel } from './format';

export interface IStepDetailsProps {
  model: RunModel;
  record: RunView;
  step: string;
  onSelectCell: (cellIndex: number, line: number | null) => void;
  /** Restores the step (its snapshot) into a new folder and opens it; absent while it cannot be restored. */
  onRestore?: () => void;
  trans: TranslationBundle;
}

/** One step of a run: its status, failure, logs (streamed while it runs, whole once it stopped), metrics and files. */
export function StepDetails(props: IStepDetailsProps): JSX.Element {
  const { model, record, step, trans } = props;
  const stepRecord = record.steps[step];
  const stream = model.state?.streams[step];
  const whole = model.wholeLogs(step);
  const metrics = stream?.metrics ?? {};
  const displays = record.displays.filter(display => display.step === step);
  const shown = new Set(displays.map(display => display.path));
  const files = record.artifacts.filter(path => path.startsWith(`steps/${step}/`) && !shown.has(path));
  return (
    <section className="jp-cellflow-StepDetails" data-step={step} aria-label={trans.__('Step %1', step)}>
      <header className="jp-cellflow-StepDetailsHeader">
        <h3>{step}</h3>
        {stepRecord && (
          <span className={`jp-cellflow-StatusBadge jp-mod-${stepRecord.status}`}>
            {statusLabel(stepRecord.status, trans)}
          </span>
        )}
        {stepRecord?.cached && <span className="jp-cellflow-CachedBadge">{trans.__('cached')}</span>}
        {stepRecord?.seconds !== undefined && <span>{formatSeconds(stepRecord.seconds, trans)}</span>}
        {props.onRestore && (
          <button
            className="jp-cellflow-RestoreStep jp-mod-styled"
            title={trans.__(
              "Restore this step's notebook, files and values into a new folder, and load them into a kernel"
            )}
            onClick={props.onRestore}
          >
            {trans.__('Restore this step')}
          </button>
        )}
      </header>
      {stepRecord?.reason && <p className="jp-cellflow-StepReason">{stepRecord.reason}</p>}
      {stepRecord?.error && (
        <div className="jp-cellflow-Error" role="alert">
          <p className="jp-cellflow-ErrorMessage">{stepRecord.error.message}</p>
          {stepRecord.error.hint && <p className="jp-cellflow-ErrorHint">{stepRecord.error.hint}</p>}
          {stepRecord.error.cellIndex !== null && (
            <button
              className="jp-cellflow-LinkButton"
              onClick={() => props.onSelectCell(stepRecord.error!.cellIndex!, stepRecord.error!.line)}
            >
              {stepRecord.error.line === null
                ? trans.__('Go to cell %1', stepRecord.error.cellIndex + 1)
                : trans.__('Go to cell %1, line %2', stepRecord.error.cellIndex + 1, stepRecord.error.line)}
            </button>
          )}
        </div>
      )}
      {Object.keys(metrics).length > 0 && (
        <>
          <h4>{trans.__('Metrics')}</h4>
          <MetricTable metrics={metrics} />
        </>
      )}
      <h4>{trans.__('Logs')}</h4>
      {whole ? (
        <>
          <pre className="jp-cellflow-Logs">{whole.stdout || trans.__('(nothing printed)')}</pre>
          {whole.stderr && <pre className="jp-cellflow-Logs jp-mod-stderr">{whole.stderr}</pre>}
        </>
      ) : (
        <pre className="jp-cellflow-Logs">
          {stream && stream.dropped > 0 && trans.__('… %1 earlier lines\n', stream.dropped)}
          {stream && stream.lines.length > 0
            ? stream.lines.map((line, index) => (
                <span key={index} className={line.stream === 'stderr' ? 'jp-mod-stderr' : undefined}>
                  {line.line + '\n'}
                </span>
              ))
            : trans.__('(nothing printed yet)')}
        </pre>
      )}
      {(displays.length > 0 || files.length > 0) && <h4>{trans.__('Displays and files')}</h4>}
      <div className="jp-cellflow-Artifacts">
        {displays.map(display => (
          <ArtifactView
            key={display.path}
            api={model.api}
            runId={record.id}
            path={display.path}
            mimeType={display.mimeType}
            notebookPath={record.notebookPath}
            trans={trans}
          />
        ))}
        {files.map(path => (
          <ArtifactView
            key={path}
            api={model.api}
            runId={record.id}
            path={path}
            notebookPath={record.notebookPath}
            trans={trans}
          />
        ))}
      </div>
    </section>
  );
}

export function MetricTable(props: { metrics: Record<string, number> }): JSX.Element {
  return (
    <table className="jp-cellflow-Metrics">
      <tbody>
        {Object.entries(props.metrics).map(([name, value]) => (
          <tr key={name} data-metric={name}>
            <th>{name}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
