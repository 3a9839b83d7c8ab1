import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { Diagnostic } from '../ir';
import { Cellflow } from '../tokens';

export interface IDiagnosticListProps {
  diagnostics: Diagnostic[];
  onSelectCell: (args: Cellflow.ISelectCellArgs) => void;
  trans: TranslationBundle;
}

/** Problems found in the notebook; clicking one selects its cell. */
export function DiagnosticList(props: IDiagnosticListProps): JSX.Element {
  const { diagnostics, trans } = props;
  if (diagnostics.length === 0) {
    return <p className="jp-cellflow-Empty">{trans.__('No problems found.')}</p>;
  }
  return (
    <ul className="jp-cellflow-DiagnosticList">
      {diagnostics.map((diagnostic, index) => (
        <li key={index}>
          <DiagnosticItem diagnostic={diagnostic} onSelectCell={props.onSelectCell} trans={trans} />
        </li>
      ))}
    </ul>
  );
}

interface IDiagnosticItemProps {
  diagnostic: Diagnostic;
  onSelectCell: (args: Cellflow.ISelectCellArgs) => void;
  trans: TranslationBundle;
}

function DiagnosticItem(props: IDiagnosticItemProps): JSX.Element {
  const { diagnostic, trans } = props;
  const className = `jp-cellflow-Diagnostic jp-mod-${diagnostic.severity}`;
  const content = (
    <>
      <span className="jp-cellflow-DiagnosticPlace">{formatPlace(diagnostic, trans)}</span>
      <span className="jp-cellflow-DiagnosticCode">{diagnostic.code}</span>
      <span className="jp-cellflow-DiagnosticMessage">{diagnostic.message}</span>
      {diagnostic.hint && <span className="jp-cellflow-DiagnosticHint">{diagnostic.hint}</span>}
    </>
  );

  const cellIndex = diagnostic.cellIndex;
  if (cellIndex === null) {
    return <div className={className}>{content}</div>;
  }
  return (
    <button
      className={className}
      title={trans.__('Select cell %1', cellIndex + 1)}
      onClick={() =>
        props.onSelectCell({
          cellIndex,
          line: diagnostic.line ?? undefined,
          column: diagnostic.column ?? undefined
        })
      }
    >
      {content}
    </button>
  );
}

/** `Cell 3, line 2`: cells counted from 1, as the notebook shows them. */
function formatPlace(diagnostic: Diagnostic, trans: TranslationBundle): string {
  if (diagnostic.cellIndex === null) {
    return trans.__('Notebook');
  }
  const cell = diagnostic.cellIndex + 1;
  return diagnostic.line === null ? trans.__('Cell %1', cell) : trans.__('Cell %1, line %2', cell, diagnostic.line);
}
