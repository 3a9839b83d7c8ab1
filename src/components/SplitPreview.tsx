import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import type { IAnnotateProposal } from '../api/types';
import { stepColors } from '../step-colors';

export interface ISplitPreviewProps {
  proposal: IAnnotateProposal;
  trans: TranslationBundle;
}

/** `annotate`'s proposal as the user decides on it: the steps with their cells and data, then the notes. */
export function SplitPreview(props: ISplitPreviewProps): JSX.Element {
  const { proposal, trans } = props;
  const colors = stepColors(proposal.steps.map(step => step.name));
  const cellList = (cells: number[]) => cells.map(index => index + 1).join(', ');
  return (
    <div className="jp-cellflow-SplitPreview">
      {proposal.diagnostics.length > 0 && (
        <ul className="jp-cellflow-SplitProblems" role="alert">
          {proposal.diagnostics.map((d, i) => (
            <li key={i}>
              {d.cellIndex === null ? '' : trans.__('Cell %1: ', d.cellIndex + 1)}
              {d.message} <span className="jp-cellflow-DiagnosticHint">{d.hint}</span>
            </li>
          ))}
        </ul>
      )}
      {proposal.prelude.length > 0 && (
        <p className="jp-cellflow-SplitPrelude">
          {trans.__(
            'Run before every step: %1',
            proposal.prelude.map(p => trans.__('cell %1 (%2)', p.index + 1, p.kind)).join(', ')
          )}
        </p>
      )}
      <ol className="jp-cellflow-SplitSteps">
        {proposal.steps.map(step => (
          <li key={step.name} className="jp-cellflow-SplitStep" data-step={step.name}>
            <span className="jp-cellflow-Badge" style={{ backgroundColor: colors.get(step.name) }}>
              {step.name}
            </span>{' '}
            <span>{trans._n('cell %2', 'cells %2', step.cells.length, cellList(step.cells))}</span>
            {step.prev.length > 0 && <span> · {trans.__('after %1', step.prev.join(', '))}</span>}
            {step.ins.length > 0 && (
              <span>
                {' '}
                · {trans.__('receives %1', step.ins.map(i => trans.__('%1 from %2', i.name, i.from)).join(', '))}
              </span>
            )}
            {step.outs.length > 0 && <span> · {trans.__('hands on %1', step.outs.join(', '))}</span>}
          </li>
        ))}
      </ol>
      {proposal.notes.length > 0 && (
        <ul className="jp-cellflow-SplitNotes">
          {proposal.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
