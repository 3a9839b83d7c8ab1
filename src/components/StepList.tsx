import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { Step } from '../ir';
import { stepColors, stepsInNotebookOrder } from '../step-colors';
import { Cellflow } from '../tokens';

export interface IStepListProps {
  steps: Step[];
  onSelectCell: (args: Cellflow.ISelectCellArgs) => void;
  trans: TranslationBundle;
}

/** The pipeline's steps in run order, each with what it needs and hands on. */
export function StepList(props: IStepListProps): JSX.Element {
  const { steps, trans } = props;
  if (steps.length === 0) {
    return (
      <p className="jp-cellflow-Empty">{trans.__('No steps yet: tag a code cell step:<name> to start a pipeline.')}</p>
    );
  }
  // The same colour as the step's cells.
  const colors = stepColors(stepsInNotebookOrder(steps));
  return (
    <ol className="jp-cellflow-StepList">
      {steps.map(step => (
        <StepItem
          key={step.name}
          step={step}
          color={colors.get(step.name)}
          onSelectCell={props.onSelectCell}
          trans={trans}
        />
      ))}
    </ol>
  );
}

interface IStepItemProps {
  step: Step;
  color?: string;
  onSelectCell: (args: Cellflow.ISelectCellArgs) => void;
  trans: TranslationBundle;
}

function StepItem(props: IStepItemProps): JSX.Element {
  const { step, trans } = props;
  const firstCell = step.cells[0];
  const none = <span className="jp-cellflow-None">{trans.__('none')}</span>;
  return (
    <li className="jp-cellflow-Step" data-step={step.name} style={{ borderLeftColor: props.color }}>
      <div className="jp-cellflow-StepHeader">
        <button
          className="jp-cellflow-StepName"
          title={trans.__('Select the first cell of step %1', step.name)}
          disabled={firstCell === undefined}
          onClick={() => firstCell !== undefined && props.onSelectCell({ cellIndex: firstCell })}
        >
          {step.name}
        </button>
        <span className="jp-cellflow-StepCells">
          {trans._n('cell %2', 'cells %2', step.cells.length, step.cells.map(index => index + 1).join(', '))}
        </span>
      </div>
      <dl className="jp-cellflow-StepFlow">
        <dt>{trans.__('After')}</dt>
        <dd className="jp-cellflow-StepDependencies">
          {step.dependencies.length > 0 ? step.dependencies.join(', ') : none}
        </dd>
        <dt>{trans.__('Ins')}</dt>
        <dd className="jp-cellflow-StepIns">
          {step.ins.length > 0 ? (
            <ul>
              {step.ins.map(input => (
                <li key={input.name}>
                  <code>{input.name}</code>
                  <span className="jp-cellflow-From">{trans.__('from %1', input.from)}</span>
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </dd>
        <dt>{trans.__('Outs')}</dt>
        <dd className="jp-cellflow-StepOuts">
          {step.outs.length > 0 ? (
            <ul>
              {step.outs.map(name => (
                <li key={name}>
                  <code>{name}</code>
                </li>
              ))}
            </ul>
          ) : (
            none
          )}
        </dd>
        {step.parameters.length > 0 && (
          <>
            <dt>{trans.__('Parameters')}</dt>
            <dd className="jp-cellflow-StepParameters">{step.parameters.join(', ')}</dd>
          </>
        )}
      </dl>
    </li>
  );
}
