import { TranslationBundle } from '@jupyterlab/translation';
import React from 'react';
import { annotationProblems, CellKind, ICellAnnotation } from '../annotation';

export interface IAnnotationEditorProps {
  initial: ICellAnnotation;
  /** Steps of the notebook (for the name's suggestions). */
  steps: readonly string[];
  /** Steps whose first cell is above this one: what it may run after. */
  earlierSteps: readonly string[];
  /** Called on every change with the annotation as edited. */
  onChange: (annotation: ICellAnnotation) => void;
  trans: TranslationBundle;
}

/** The annotation dialog's form: kind, step name, dependencies and the step's settings. */
export function AnnotationEditor(props: IAnnotationEditorProps): JSX.Element {
  const { trans } = props;
  const [annotation, setAnnotation] = React.useState<ICellAnnotation>(props.initial);
  const update = (changes: Partial<ICellAnnotation>) => {
    const next = { ...annotation, ...changes };
    setAnnotation(next);
    props.onChange(next);
  };
  const problems = annotationProblems(annotation, trans);
  const problemOf = (field: string) => {
    const problem = problems.find(p => p.field === field);
    return problem ? (
      <span className="jp-cellflow-FieldProblem" role="alert">
        {problem.message}
      </span>
    ) : null;
  };
  const kinds: Array<[CellKind, string]> = [
    ['step', trans.__('Step')],
    ['imports', trans.__('Imports (run before every step)')],
    ['functions', trans.__('Functions (run before every step)')],
    ['parameters', trans.__('Pipeline parameters')],
    ['metrics', trans.__('Pipeline metrics')],
    ['skip', trans.__('Skip (not in the pipeline)')],
    ['continue', trans.__('No tag: part of the cell above')]
  ];
  const isStep = annotation.kind === 'step';
  const candidates = [...new Set([...props.earlierSteps, ...annotation.prev])].filter(name => name !== annotation.step);
  return (
    <form className="jp-cellflow-AnnotationEditor" onSubmit={event => event.preventDefault()}>
      <label>
        <span>{trans.__('Cell kind')}</span>
        <select
          name="kind"
          className="jp-mod-styled"
          value={annotation.kind}
          onChange={event => update({ kind: event.target.value as CellKind })}
        >
          {kinds.map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {isStep && (
        <>
          <label>
            <span>{trans.__('Step name')}</span>
            <input
              name="step"
              className="jp-mod-styled"
              list="jp-cellflow-step-names"
              value={annotation.step}
              placeholder={trans.__('new or existing step, e.g. train')}
              onChange={event => update({ step: event.target.value })}
            />
            <datalist id="jp-cellflow-step-names">
              {props.steps.map(name => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {problemOf('step')}
          </label>
          <fieldset className="jp-cellflow-Dependencies">
            <legend>{trans.__('Runs after')}</legend>
            {candidates.length === 0 && <span className="jp-cellflow-None">{trans.__('no earlier steps')}</span>}
            {candidates.map(name => (
              <label key={name} className="jp-cellflow-Dependency">
                <input
                  type="checkbox"
                  name="prev"
                  value={name}
                  checked={annotation.prev.includes(name)}
                  onChange={event =>
                    update({
                      prev: event.target.checked
                        ? [...annotation.prev, name]
                        : annotation.prev.filter(prev => prev !== name)
                    })
                  }
                />
                <span>{name}</span>
              </label>
            ))}
            {problemOf('prev')}
          </fieldset>
          <NumberField
            name="gpus"
            label={trans.__('GPUs')}
            value={annotation.gpus}
            onChange={gpus => update({ gpus })}
            problem={problemOf('gpus')}
          />
          <TextField
            name="memory"
            label={trans.__('Memory')}
            placeholder={trans.__('e.g. 2Gi')}
            value={annotation.memory}
            onChange={memory => update({ memory })}
            problem={problemOf('memory')}
          />
          <TextField
            name="image"
            label={trans.__('Image')}
            placeholder={trans.__("the notebook's image")}
            value={annotation.image}
            onChange={image => update({ image })}
            problem={problemOf('image')}
          />
          <label>
            <span>{trans.__('Cache')}</span>
            <select
              name="cache"
              className="jp-mod-styled"
              value={annotation.cache === null ? 'default' : annotation.cache ? 'enabled' : 'disabled'}
              onChange={event =>
                update({ cache: event.target.value === 'default' ? null : event.target.value === 'enabled' })
              }
            >
              <option value="default">{trans.__("The notebook's default")}</option>
              <option value="enabled">{trans.__('On')}</option>
              <option value="disabled">{trans.__('Off')}</option>
            </select>
          </label>
          <NumberField
            name="retries"
            label={trans.__('Retries')}
            value={annotation.retries}
            onChange={retries => update({ retries })}
            problem={problemOf('retries')}
          />
          <NumberField
            name="timeout"
            label={trans.__('Timeout (seconds)')}
            value={annotation.timeoutSeconds}
            onChange={timeoutSeconds => update({ timeoutSeconds })}
            problem={problemOf('timeoutSeconds')}
          />
        </>
      )}
    </form>
  );
}

interface INumberFieldProps {
  name: string;
  label: string;
  value: number | null;
  onChange: (value: number | null) => void;
  problem: JSX.Element | null;
}

/** An optional whole number: empty means not set. */
function NumberField(props: INumberFieldProps): JSX.Element {
  return (
    <label>
      <span>{props.label}</span>
      <input
        name={props.name}
        className="jp-mod-styled"
        type="number"
        min={0}
        step={1}
        value={props.value ?? ''}
        onChange={event => props.onChange(event.target.value === '' ? null : Number(event.target.value))}
      />
      {props.problem}
    </label>
  );
}

interface ITextFieldProps {
  name: string;
  label: string;
  placeholder: string;
  value: string | null;
  onChange: (value: string | null) => void;
  problem: JSX.Element | null;
}

/** An optional text: empty means not set. */
function TextField(props: ITextFieldProps): JSX.Element {
  return (
    <label>
      <span>{props.label}</span>
      <input
        name={props.name}
        className="jp-mod-styled"
        value={props.value ?? ''}
        placeholder={props.placeholder}
        onChange={event => props.onChange(event.target.value.trim() === '' ? null : event.target.value.trim())}
      />
      {props.problem}
    </label>
  );
}
