import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { LaunchStage, RunLauncher } from '../../run/launcher';
import { Cellflow } from '../../tokens';
import { ErrorNote } from './ErrorNote';

export interface IRunControlsProps {
  launcher: RunLauncher;
  /** Why running is not possible now (turned off, a bad parameter value); null when it is. */
  blocked: Cellflow.IError | null;
  onCompile: () => void;
  onCompileAndRun: () => void;
  trans: TranslationBundle;
}

const STAGES: LaunchStage[] = ['saving', 'analyzing', 'compiling', 'submitting', 'running'];

/** Compile and Compile and Run, with the stage a launch is at and what stopped it. */
export function RunControls(props: IRunControlsProps): JSX.Element {
  const { launcher, trans, blocked } = props;
  const stage = launcher.stage;
  const current = STAGES.indexOf(stage);
  const compiled = launcher.compiled;
  return (
    <div className="jp-cellflow-RunControls">
      <div className="jp-cellflow-Buttons">
        <button
          className="jp-cellflow-CompileButton jp-mod-styled"
          disabled={launcher.busy || blocked?.code === 'pipeline-disabled'}
          onClick={props.onCompile}
        >
          {trans.__('Compile')}
        </button>
        <button
          className="jp-cellflow-RunButton jp-mod-styled jp-mod-accept"
          disabled={launcher.busy || blocked !== null}
          onClick={props.onCompileAndRun}
        >
          {trans.__('Compile and Run')}
        </button>
      </div>
      {current >= 0 && (
        <ol className="jp-cellflow-Stages" aria-label={trans.__('Progress')}>
          {STAGES.map((name, index) => (
            <li
              key={name}
              data-stage={name}
              className={index < current ? 'jp-mod-done' : index === current ? 'jp-mod-current' : ''}
            >
              {stageLabel(name, trans)}
            </li>
          ))}
        </ol>
      )}
      {blocked && <ErrorNote error={blocked} />}
      {launcher.error && <ErrorNote error={launcher.error} />}
      {compiled && stage === 'idle' && !launcher.error && (
        <p className="jp-cellflow-Compiled" role="status">
          {trans._n('Compiled %2: %1 step.', 'Compiled %2: %1 steps.', compiled.steps.length, compiled.pipelineName)}
        </p>
      )}
    </div>
  );
}

function stageLabel(stage: LaunchStage, trans: TranslationBundle): string {
  switch (stage) {
    case 'saving':
      return trans.__('Saving');
    case 'analyzing':
      return trans.__('Analyzing');
    case 'compiling':
      return trans.__('Compiling');
    case 'submitting':
      return trans.__('Submitting');
    case 'running':
      return trans.__('Running');
    default:
      return '';
  }
}
