import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { Cellflow, ICellflow } from '../tokens';
import { DiagnosticList } from './DiagnosticList';
import { StepList } from './StepList';

export interface IPipelinePanelProps {
  model: ICellflow;
  onAnalyze: () => void;
  onSelectCell: (args: Cellflow.ISelectCellArgs) => void;
  trans: TranslationBundle;
}

/** The sidebar's content: which notebook, its steps, then its diagnostics. */
export function PipelinePanel(props: IPipelinePanelProps): JSX.Element {
  const { model, trans } = props;
  const path = model.notebookPath;
  if (path === null) {
    return (
      <div className="jp-cellflow-Panel">
        <p className="jp-cellflow-Empty">{trans.__('Open a notebook to see its pipeline.')}</p>
      </div>
    );
  }

  const ir = model.ir;
  return (
    <div className="jp-cellflow-Panel">
      <header className="jp-cellflow-Header">
        <span className="jp-cellflow-NotebookName" title={path}>
          {PathExt.basename(path)}
        </span>
        <button
          className="jp-cellflow-AnalyzeButton jp-mod-styled"
          disabled={model.status === 'analyzing'}
          onClick={props.onAnalyze}
        >
          {model.status === 'analyzing' ? trans.__('Analyzing…') : trans.__('Analyze')}
        </button>
      </header>
      {model.isStale && (
        <p className="jp-cellflow-Stale">{trans.__('Edited since this analysis; it updates when you pause typing.')}</p>
      )}
      {model.backendRestartedAt && (
        <p className="jp-cellflow-BackendRestarted" role="status">
          {trans.__(
            'The cellflow backend stopped and was started again at %1. The analysis was redone; see the Jupyter server log for why it stopped.',
            model.backendRestartedAt.toLocaleTimeString()
          )}
        </p>
      )}
      {model.error && (
        <div className="jp-cellflow-Error" role="alert">
          <p className="jp-cellflow-ErrorMessage">{model.error.message}</p>
          {model.error.hint && <p className="jp-cellflow-ErrorHint">{model.error.hint}</p>}
        </div>
      )}
      {ir && (
        <>
          <section className="jp-cellflow-Section">
            <h3 className="jp-cellflow-SectionTitle">{trans._n('%1 step', '%1 steps', ir.steps.length)}</h3>
            <StepList steps={ir.steps} onSelectCell={props.onSelectCell} trans={trans} />
          </section>
          <section className="jp-cellflow-Section">
            <h3 className="jp-cellflow-SectionTitle">{trans._n('%1 problem', '%1 problems', ir.diagnostics.length)}</h3>
            <DiagnosticList diagnostics={ir.diagnostics} onSelectCell={props.onSelectCell} trans={trans} />
          </section>
        </>
      )}
    </div>
  );
}
