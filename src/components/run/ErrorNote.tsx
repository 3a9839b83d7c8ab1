import React from 'react';
import { Cellflow } from '../../tokens';

/** A failure as people read it: what happened, then what to do. */
export function ErrorNote(props: { error: Cellflow.IError }): JSX.Element {
  return (
    <div className="jp-cellflow-Error" role="alert" data-code={props.error.code}>
      <p className="jp-cellflow-ErrorMessage">{props.error.message}</p>
      {props.error.hint && <p className="jp-cellflow-ErrorHint">{props.error.hint}</p>}
    </div>
  );
}
