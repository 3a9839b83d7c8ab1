import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { EngineKind, NotebookRunSettings } from '../../run/notebook-settings';

export interface IRunSettingsFormProps {
  /** Remounts the fields when another notebook becomes active. */
  notebookPath: string;
  settings: NotebookRunSettings;
  defaultEngine: EngineKind;
  defaultConcurrency: number;
  onChange: (change: Partial<NotebookRunSettings>) => void;
  trans: TranslationBundle;
}

/**
 * The notebook's pipeline settings. Fields are uncontrolled (each writes the notebook's metadata as it changes):
 * the sidebar re-renders on the next frame, which would move the caret of a controlled field.
 */
export function RunSettingsForm(props: IRunSettingsFormProps): JSX.Element {
  const { settings, trans, onChange } = props;
  const text = (field: 'experiment_name' | 'pipeline_name' | 'docker_image', label: string, placeholder: string) => (
    <label className="jp-cellflow-Field">
      <span>{label}</span>
      <input
        type="text"
        name={field}
        className="jp-mod-styled"
        defaultValue={settings[field]}
        placeholder={placeholder}
        onChange={event => onChange({ [field]: event.target.value })}
      />
    </label>
  );
  return (
    <form className="jp-cellflow-SettingsForm" key={props.notebookPath} onSubmit={event => event.preventDefault()}>
      <label className="jp-cellflow-Field jp-mod-checkbox">
        <input
          type="checkbox"
          name="enabled"
          defaultChecked={settings.enabled}
          onChange={event => onChange({ enabled: event.target.checked })}
        />
        <span>{trans.__('Enable cellflow for this notebook')}</span>
      </label>
      {text('experiment_name', trans.__('Experiment'), trans.__('Default: the notebook name'))}
      {text('pipeline_name', trans.__('Pipeline name'), trans.__('Default: the notebook name'))}
      <label className="jp-cellflow-Field">
        <span>{trans.__('Description')}</span>
        <textarea
          name="pipeline_description"
          className="jp-mod-styled"
          rows={2}
          defaultValue={settings.pipeline_description}
          onChange={event => onChange({ pipeline_description: event.target.value })}
        />
      </label>
      {text('docker_image', trans.__('Image'), trans.__('Kubernetes only: the steps’ container image'))}
      <label className="jp-cellflow-Field">
        <span>{trans.__('Engine')}</span>
        <select
          name="engine"
          className="jp-mod-styled"
          defaultValue={settings.engine ?? ''}
          onChange={event => onChange({ engine: (event.target.value || null) as EngineKind | null })}
        >
          <option value="">{trans.__('Default (%1)', engineLabel(props.defaultEngine, trans))}</option>
          <option value="local">{engineLabel('local', trans)}</option>
          <option value="kubernetes">{engineLabel('kubernetes', trans)}</option>
        </select>
      </label>
      <label className="jp-cellflow-Field">
        <span>{trans.__('Concurrency')}</span>
        <input
          type="number"
          name="concurrency"
          className="jp-mod-styled"
          min={1}
          step={1}
          defaultValue={settings.concurrency ?? ''}
          placeholder={trans.__('Default (%1)', props.defaultConcurrency)}
          onChange={event => {
            const value = Number(event.target.value);
            onChange({ concurrency: Number.isInteger(value) && value >= 1 ? value : null });
          }}
        />
      </label>
    </form>
  );
}

function engineLabel(engine: EngineKind, trans: TranslationBundle): string {
  return engine === 'local' ? trans.__('Local (this machine)') : trans.__('Kubernetes');
}
