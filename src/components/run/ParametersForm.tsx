import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { Parameter } from '../../ir';
import { parseParameterInput } from '../../run/parameter-values';

export interface IParametersFormProps {
  /** Changes when the edits are reset or another notebook is active: the fields are remounted with their values. */
  formKey: string;
  parameters: Parameter[];
  edits: Readonly<Record<string, string | boolean>>;
  onEdit: (name: string, value: string | boolean) => void;
  onReset: () => void;
  trans: TranslationBundle;
}

/** The pipeline parameters, pre-filled with the notebook's values; what is typed here applies to the next run only. */
export function ParametersForm(props: IParametersFormProps): JSX.Element {
  const { parameters, edits, trans } = props;
  if (parameters.length === 0) {
    return <p className="jp-cellflow-Empty">{trans.__('No pipeline parameters: tag a cell pipeline-parameters.')}</p>;
  }
  // Uncontrolled fields, as in RunSettingsForm.
  return (
    <form className="jp-cellflow-ParametersForm" key={props.formKey} onSubmit={event => event.preventDefault()}>
      {parameters.map(parameter => {
        const edit = edits[parameter.name];
        const parsed = edit === undefined ? null : parseParameterInput(parameter, edit);
        const invalid = parsed !== null && !parsed.ok;
        const changed = parsed !== null && parsed.ok && parsed.value !== parameter.default;
        return (
          <label
            key={`${parameter.name}:${String(parameter.default)}`}
            className={`jp-cellflow-Field${invalid ? ' jp-mod-invalid' : ''}`}
            title={trans.__('Default: %1 (%2)', String(parameter.default), parameter.type)}
          >
            <span>
              <code>{parameter.name}</code>
              {changed && <span className="jp-cellflow-Changed">{trans.__('this run')}</span>}
            </span>
            {parameter.type === 'boolean' ? (
              <input
                type="checkbox"
                name={parameter.name}
                defaultChecked={typeof edit === 'boolean' ? edit : parameter.default === true}
                onChange={event => props.onEdit(parameter.name, event.target.checked)}
              />
            ) : (
              <input
                type={parameter.type === 'number' ? 'number' : 'text'}
                step="any"
                name={parameter.name}
                className="jp-mod-styled"
                aria-invalid={invalid}
                defaultValue={typeof edit === 'string' ? edit : String(parameter.default)}
                onChange={event => props.onEdit(parameter.name, event.target.value)}
              />
            )}
          </label>
        );
      })}
      {Object.keys(edits).length > 0 && (
        <button type="button" className="jp-cellflow-LinkButton" onClick={props.onReset}>
          {trans.__('Reset to the notebook’s values')}
        </button>
      )}
    </form>
  );
}
