/**
 * The Tune dialog: which parameters to tune and over what (a range or a list each), the algorithm and its seed,
 * the objective (a metric of the pipeline, minimized or maximized, an optional goal) and the trial budget. Saving
 * writes `katib_metadata` (tune/katib-spec.ts); a form with problems shows them and writes nothing.
 */
import { Dialog, ReactWidget, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import {
  ALGORITHMS,
  AlgorithmName,
  IKatibMetadata,
  IParameterDraft,
  ITuneDraft,
  katibMetadataFromDraft,
  KatibParameterType,
  tuneProblems
} from '../../tune/katib-spec';

export interface ITuneEditorProps {
  initial: ITuneDraft;
  /** Called on every change with the form as edited. */
  onChange: (draft: ITuneDraft) => void;
  trans: TranslationBundle;
}

/** The dialog's form. Problems show beside their field as the user types. */
export function TuneEditor(props: ITuneEditorProps): JSX.Element {
  const { trans } = props;
  const [draft, setDraft] = React.useState<ITuneDraft>(props.initial);
  const update = (changes: Partial<ITuneDraft>) => {
    const next = { ...draft, ...changes };
    setDraft(next);
    props.onChange(next);
  };
  const updateParameter = (name: string, changes: Partial<IParameterDraft>) =>
    update({ parameters: draft.parameters.map(p => (p.name === name ? { ...p, ...changes } : p)) });
  const problems = tuneProblems(draft, trans);
  const problemOf = (field: string) =>
    problems
      .filter(p => p.field === field)
      .map(problem => (
        <span key={problem.message} className="jp-cellflow-FieldProblem" role="alert">
          {problem.message}
        </span>
      ));
  const algorithmLabels: Record<AlgorithmName, string> = {
    random: trans.__('Random search'),
    grid: trans.__('Grid (every combination)'),
    tpe: trans.__('TPE (Tree-structured Parzen Estimator)'),
    'multivariate-tpe': trans.__('Multivariate TPE')
  };
  const typeLabels: Record<KatibParameterType, string> = {
    int: trans.__('Range of whole numbers (int)'),
    double: trans.__('Range of numbers (double)'),
    discrete: trans.__('List of numbers (discrete)'),
    categorical: trans.__('List of values (categorical)')
  };
  const numberInput = (
    name: string,
    label: string,
    value: string,
    onChange: (value: string) => void,
    placeholder = ''
  ) => (
    <label className="jp-cellflow-Field">
      <span>{label}</span>
      <input
        name={name}
        className="jp-mod-styled"
        inputMode="decimal"
        value={value}
        placeholder={placeholder}
        onChange={event => onChange(event.target.value)}
      />
    </label>
  );

  return (
    <form className="jp-cellflow-TuneEditor" onSubmit={event => event.preventDefault()}>
      <fieldset className="jp-cellflow-TuneParameters">
        <legend>{trans.__('Parameters')}</legend>
        {draft.parameters.length === 0 && (
          <p className="jp-cellflow-Empty">{trans.__('The notebook has no pipeline-parameters cell.')}</p>
        )}
        {draft.parameters.map(p => {
          const isList = p.parameterType === 'discrete' || p.parameterType === 'categorical';
          const types: KatibParameterType[] =
            p.notebookType === 'number' ? ['int', 'double', 'discrete', 'categorical'] : ['categorical'];
          return (
            <div key={p.name} className="jp-cellflow-TuneParameter" data-parameter={p.name}>
              <label className="jp-cellflow-Field jp-mod-checkbox">
                <input
                  type="checkbox"
                  name={`tune-${p.name}`}
                  checked={p.tuned}
                  onChange={event => updateParameter(p.name, { tuned: event.target.checked })}
                />
                <span className="jp-cellflow-ParameterName">{p.name}</span>
              </label>
              {p.tuned && (
                <div className="jp-cellflow-TuneSpace">
                  <label className="jp-cellflow-Field">
                    <span>{trans.__('Search')}</span>
                    <select
                      name={`type-${p.name}`}
                      className="jp-mod-styled"
                      value={p.parameterType}
                      onChange={event =>
                        updateParameter(p.name, { parameterType: event.target.value as KatibParameterType })
                      }
                    >
                      {types.map(type => (
                        <option key={type} value={type}>
                          {typeLabels[type]}
                        </option>
                      ))}
                    </select>
                  </label>
                  {isList ? (
                    <label className="jp-cellflow-Field">
                      <span>{trans.__('Values (comma-separated)')}</span>
                      <input
                        name={`list-${p.name}`}
                        className="jp-mod-styled"
                        value={p.list}
                        onChange={event => updateParameter(p.name, { list: event.target.value })}
                      />
                    </label>
                  ) : (
                    <div className="jp-cellflow-TuneRange">
                      {numberInput(`min-${p.name}`, trans.__('Min'), p.min, min => updateParameter(p.name, { min }))}
                      {numberInput(`max-${p.name}`, trans.__('Max'), p.max, max => updateParameter(p.name, { max }))}
                      {numberInput(
                        `step-${p.name}`,
                        trans.__('Step'),
                        p.step,
                        step => updateParameter(p.name, { step }),
                        trans.__('none')
                      )}
                      <label className="jp-cellflow-Field jp-mod-checkbox">
                        <input
                          type="checkbox"
                          name={`log-${p.name}`}
                          checked={p.log}
                          onChange={event => updateParameter(p.name, { log: event.target.checked })}
                        />
                        <span>{trans.__('Log scale')}</span>
                      </label>
                    </div>
                  )}
                  {problemOf(`parameters.${p.name}`)}
                </div>
              )}
            </div>
          );
        })}
        {problemOf('parameters')}
      </fieldset>

      <fieldset>
        <legend>{trans.__('Objective')}</legend>
        <label className="jp-cellflow-Field">
          <span>{trans.__('Metric')}</span>
          <select
            name="objectiveMetricName"
            className="jp-mod-styled"
            value={draft.objectiveMetricName}
            onChange={event => update({ objectiveMetricName: event.target.value })}
          >
            {!draft.metrics.includes(draft.objectiveMetricName) && <option value="">{trans.__('Choose…')}</option>}
            {draft.metrics.map(metric => (
              <option key={metric} value={metric}>
                {metric}
              </option>
            ))}
          </select>
          {problemOf('objectiveMetricName')}
        </label>
        <label className="jp-cellflow-Field">
          <span>{trans.__('Direction')}</span>
          <select
            name="objectiveType"
            className="jp-mod-styled"
            value={draft.objectiveType}
            onChange={event => update({ objectiveType: event.target.value as ITuneDraft['objectiveType'] })}
          >
            <option value="maximize">{trans.__('Maximize')}</option>
            <option value="minimize">{trans.__('Minimize')}</option>
          </select>
        </label>
        {numberInput(
          'goal',
          trans.__('Goal'),
          draft.goal,
          goal => update({ goal }),
          trans.__('none: the whole budget')
        )}
        {problemOf('goal')}
      </fieldset>

      <fieldset>
        <legend>{trans.__('Search')}</legend>
        <label className="jp-cellflow-Field">
          <span>{trans.__('Algorithm')}</span>
          <select
            name="algorithm"
            className="jp-mod-styled"
            value={draft.algorithm}
            onChange={event => update({ algorithm: event.target.value as AlgorithmName })}
          >
            {ALGORITHMS.map(algorithm => (
              <option key={algorithm} value={algorithm}>
                {algorithmLabels[algorithm]}
              </option>
            ))}
          </select>
        </label>
        {numberInput(
          'seed',
          trans.__('Seed'),
          draft.seed,
          seed => update({ seed }),
          trans.__('drawn when tuning starts')
        )}
        {problemOf('seed')}
        {numberInput(
          'maxTrialCount',
          trans.__('Trials'),
          draft.maxTrialCount,
          maxTrialCount => update({ maxTrialCount }),
          draft.algorithm === 'grid' ? trans.__('the whole grid') : ''
        )}
        {problemOf('maxTrialCount')}
        {numberInput('parallelTrialCount', trans.__('Trials at once'), draft.parallelTrialCount, parallelTrialCount =>
          update({ parallelTrialCount })
        )}
        {problemOf('parallelTrialCount')}
        {numberInput(
          'maxFailedTrialCount',
          trans.__('Failed trials allowed'),
          draft.maxFailedTrialCount,
          maxFailedTrialCount => update({ maxFailedTrialCount }),
          trans.__('no limit')
        )}
        {problemOf('maxFailedTrialCount')}
      </fieldset>
    </form>
  );
}

/** The dialog's body; its value is the form as edited. */
class TuneEditorBody extends ReactWidget implements Dialog.IBodyWidget<ITuneDraft> {
  constructor(private readonly _props: Omit<ITuneEditorProps, 'onChange'>) {
    super();
    this._value = _props.initial;
    this.addClass('jp-cellflow-TuneDialog');
  }

  getValue(): ITuneDraft {
    return this._value;
  }

  protected render(): JSX.Element {
    return <TuneEditor {...this._props} onChange={value => (this._value = value)} />;
  }

  private _value: ITuneDraft;
}

/**
 * Opens the dialog on `initial`; resolves with the spec once the user saves a form without problems (a form with
 * problems is shown again, with them), or null when cancelled. Writing it is the caller's.
 */
export async function editTuning(initial: ITuneDraft, trans: TranslationBundle): Promise<IKatibMetadata | null> {
  let draft = initial;
  for (;;) {
    const result = await showDialog<ITuneDraft>({
      title: trans.__('Tune the pipeline’s parameters'),
      body: new TuneEditorBody({ initial: draft, trans }),
      buttons: [Dialog.cancelButton({ label: trans.__('Cancel') }), Dialog.okButton({ label: trans.__('Save') })],
      focusNodeSelector: 'input[type="checkbox"]'
    });
    if (!result.button.accept || result.value === null) {
      return null;
    }
    draft = result.value;
    const { metadata } = katibMetadataFromDraft(draft, trans);
    if (metadata) {
      return metadata;
    }
  }
}
