import type { TranslationBundle } from '@jupyterlab/translation';
/**
 * A cell's annotation as the editor dialog edits it, read from and written to
 * Kale's cell tags exactly as the backend's grammar (server-ts/src/annotations/
 * tags.ts) spells them. Tags this editor does not edit (labels, annotations,
 * other resource limits, tags of other tools, a second kind tag) are kept as
 * they were, after the ones it writes.
 */

/** What a cell is. `continue`: no kind tag, the cell joins the block above it. */
export type CellKind = 'step' | 'imports' | 'functions' | 'parameters' | 'metrics' | 'skip' | 'continue';

export interface ICellAnnotation {
  kind: CellKind;
  /** The step a `step` cell starts or joins; '' otherwise. */
  step: string;
  /** The notebook's spelling of the step tag: cellflow's `step:` or Kale's `block:`. */
  stepAlias: 'step' | 'block';
  /** Steps this one runs after (`prev:`), in tag order. */
  prev: string[];
  /** `limit:nvidia.com/gpu:<n>`; null when not set. */
  gpus: number | null;
  /** `limit:memory:<quantity>` (e.g. `2Gi`); null when not set. */
  memory: string | null;
  /** `image:<ref>`; null when not set. */
  image: string | null;
  /** `cache:enabled|disabled`; null: the notebook's default. */
  cache: boolean | null;
  /** `retry:<n>`; null when not set. */
  retries: number | null;
  /** `timeout:<seconds>`; null when not set. */
  timeoutSeconds: number | null;
  /** Every tag this editor does not edit, in the cell's order. */
  otherTags: string[];
}

/** Kale's step names. */
export const STEP_NAME = /^[_a-z][_a-z0-9]*$/;

export const GPU_RESOURCE = 'nvidia.com/gpu';

/** The kind tags and what they mean here (the backend's `CellKind` names). */
const KIND_OF_TAG: Readonly<Record<string, CellKind>> = {
  imports: 'imports',
  functions: 'functions',
  'pipeline-parameters': 'parameters',
  'pipeline-metrics': 'metrics',
  skip: 'skip'
};

const TAG_OF_KIND: Readonly<Partial<Record<CellKind, string>>> = {
  imports: 'imports',
  functions: 'functions',
  parameters: 'pipeline-parameters',
  metrics: 'pipeline-metrics',
  skip: 'skip'
};

/** What the dialog starts from for a cell without tags. */
export function emptyAnnotation(): ICellAnnotation {
  return {
    kind: 'continue',
    step: '',
    stepAlias: 'step',
    prev: [],
    gpus: null,
    memory: null,
    image: null,
    cache: null,
    retries: null,
    timeoutSeconds: null,
    otherTags: []
  };
}

/**
 * Reads a cell's tags as the backend does: the first kind tag decides the
 * kind; a setting tag the backend would refuse is kept as it is (so the
 * backend still reports it) rather than read.
 */
export function annotationFromTags(tags: readonly string[]): ICellAnnotation {
  const annotation = emptyAnnotation();
  let kindDecided = false;
  for (const tag of tags) {
    const colon = tag.indexOf(':');
    const key = colon < 0 ? tag : tag.slice(0, colon);
    const value = colon < 0 ? '' : tag.slice(colon + 1);
    if (colon < 0 && tag in KIND_OF_TAG) {
      if (kindDecided) {
        annotation.otherTags.push(tag);
      } else {
        annotation.kind = KIND_OF_TAG[tag];
        kindDecided = true;
      }
      continue;
    }
    if (!readTag(annotation, key, value, kindDecided)) {
      annotation.otherTags.push(tag);
    } else if (key === 'step' || key === 'block') {
      kindDecided = true;
    }
  }
  return annotation;
}

/** Reads one `key:value` tag into `annotation`; false when it is not one this editor edits. */
function readTag(annotation: ICellAnnotation, key: string, value: string, kindDecided: boolean): boolean {
  switch (key) {
    case 'step':
    case 'block':
      if (kindDecided) {
        return false;
      }
      annotation.kind = 'step';
      annotation.step = value;
      annotation.stepAlias = key;
      return true;
    case 'prev':
      if (!STEP_NAME.test(value)) {
        return false;
      }
      if (!annotation.prev.includes(value)) {
        annotation.prev.push(value);
      }
      return true;
    case 'limit': {
      const split = value.lastIndexOf(':');
      const resource = value.slice(0, split);
      const quantity = value.slice(split + 1);
      if (split > 0 && resource === GPU_RESOURCE && /^\d+$/.test(quantity)) {
        annotation.gpus = Number(quantity);
        return true;
      }
      if (split > 0 && resource === 'memory' && quantity !== '') {
        annotation.memory = quantity;
        return true;
      }
      return false;
    }
    case 'image':
      if (value === '') {
        return false;
      }
      annotation.image = value;
      return true;
    case 'cache':
      if (value !== 'enabled' && value !== 'disabled') {
        return false;
      }
      annotation.cache = value === 'enabled';
      return true;
    case 'retry':
      if (!/^\d+$/.test(value)) {
        return false;
      }
      annotation.retries = Number(value);
      return true;
    case 'timeout':
      if (!/^[1-9]\d*$/.test(value)) {
        return false;
      }
      annotation.timeoutSeconds = Number(value);
      return true;
    default:
      return false;
  }
}

/**
 * The tags that say `annotation`: its kind tag first (it decides the kind),
 * then `prev:` and the step's settings, then the tags it keeps. Dependencies
 * and settings are written for steps only: on any other cell the backend
 * refuses them.
 */
export function tagsFromAnnotation(annotation: ICellAnnotation): string[] {
  const tags: string[] = [];
  if (annotation.kind === 'step') {
    tags.push(`${annotation.stepAlias}:${annotation.step}`);
    for (const prev of annotation.prev) {
      tags.push(`prev:${prev}`);
    }
    if (annotation.gpus !== null) {
      tags.push(`limit:${GPU_RESOURCE}:${annotation.gpus}`);
    }
    if (annotation.memory !== null) {
      tags.push(`limit:memory:${annotation.memory}`);
    }
    if (annotation.image !== null) {
      tags.push(`image:${annotation.image}`);
    }
    if (annotation.cache !== null) {
      tags.push(`cache:${annotation.cache ? 'enabled' : 'disabled'}`);
    }
    if (annotation.retries !== null) {
      tags.push(`retry:${annotation.retries}`);
    }
    if (annotation.timeoutSeconds !== null) {
      tags.push(`timeout:${annotation.timeoutSeconds}`);
    }
  } else {
    const kindTag = TAG_OF_KIND[annotation.kind];
    if (kindTag !== undefined) {
      tags.push(kindTag);
    }
  }
  for (const tag of annotation.otherTags) {
    if (!tags.includes(tag)) {
      tags.push(tag);
    }
  }
  return tags;
}

/** What is wrong with an annotation the dialog is about to write; empty when nothing. */
export interface IAnnotationProblem {
  field: 'step' | 'prev' | 'gpus' | 'memory' | 'image' | 'retries' | 'timeoutSeconds';
  /** Untranslated English; the dialog translates it. */
  message: string;
}

/** The memory quantities Kubernetes accepts (what `limit:memory:` takes). */
const QUANTITY = /^(\d+(\.\d+)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;

export function annotationProblems(annotation: ICellAnnotation, trans: TranslationBundle): IAnnotationProblem[] {
  if (annotation.kind !== 'step') {
    return [];
  }
  const problems: IAnnotationProblem[] = [];
  if (!STEP_NAME.test(annotation.step)) {
    problems.push({
      field: 'step',
      message: trans.__('A step name starts with a lowercase letter or _ and has only lowercase letters, digits and _.')
    });
  }
  if (annotation.prev.includes(annotation.step)) {
    problems.push({ field: 'prev', message: trans.__('A step cannot run after itself.') });
  }
  if (annotation.gpus !== null && !(Number.isInteger(annotation.gpus) && annotation.gpus >= 0)) {
    problems.push({ field: 'gpus', message: trans.__('GPUs: a whole number, 0 or more.') });
  }
  if (annotation.memory !== null && !QUANTITY.test(annotation.memory)) {
    problems.push({ field: 'memory', message: trans.__('Memory: a Kubernetes quantity such as 512Mi or 2Gi.') });
  }
  if (annotation.image !== null && (annotation.image === '' || /\s/.test(annotation.image))) {
    problems.push({ field: 'image', message: trans.__('Image: an image reference without spaces, such as node:20.') });
  }
  if (annotation.retries !== null && !(Number.isInteger(annotation.retries) && annotation.retries >= 0)) {
    problems.push({ field: 'retries', message: trans.__('Retries: a whole number, 0 or more.') });
  }
  if (
    annotation.timeoutSeconds !== null &&
    !(Number.isInteger(annotation.timeoutSeconds) && annotation.timeoutSeconds >= 1)
  ) {
    problems.push({ field: 'timeoutSeconds', message: trans.__('Timeout: a whole number of seconds, 1 or more.') });
  }
  return problems;
}
