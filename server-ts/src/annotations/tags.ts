/**
 * Kale's cell-tag grammar, read and written back unchanged. The first kind tag
 * (`imports`, `functions`, `pipeline-parameters`, `pipeline-metrics`, `skip`,
 * `step:`/`block:`) decides what a cell is; an untagged code cell continues
 * the block above it. Unknown tags are kept as they are.
 */
import { MIN_STEP_MEMORY_BYTES, parseQuantity } from './quantity.js';
import { tagError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { StepSettings } from '../ir.js';

export type CellKind =
  'imports' | 'functions' | 'pipeline-parameters' | 'pipeline-metrics' | 'skip' | 'step' | 'continue';

export const STEP_NAME = /^[_a-z][_a-z0-9]*$/;

const KIND_TAGS = new Set(['imports', 'functions', 'pipeline-parameters', 'pipeline-metrics', 'skip']);

export interface CellAnnotation {
  kind: CellKind;
  /** The step this cell starts or joins (kind `step`). */
  step?: string;
  /** Which spelling of the step tag the notebook uses: cellflow's `step:` or Kale's `block:`. */
  stepAlias: 'step' | 'block';
  prev: string[];
  settings: Partial<StepSettings>;
  /** The tags the annotation was read from, so writing back keeps their order and unknown tags. */
  sourceTags: string[];
  /** The source tags whose meaning the fields above hold; all others (unknown, invalid, overridden) are kept as they are. */
  appliedTags: string[];
}

export interface ReadAnnotation {
  annotation: CellAnnotation;
  diagnostics: Diagnostic[];
}

export function readCellAnnotation(tags: readonly string[], cellIndex: number): ReadAnnotation {
  const diagnostics: Diagnostic[] = [];
  const annotation: CellAnnotation = {
    kind: 'continue',
    stepAlias: 'step',
    prev: [],
    settings: {},
    sourceTags: [...tags],
    appliedTags: []
  };
  let kindDecided = false;
  // Sets beside the arrays: a cell may carry thousands of tags, and `includes` per tag would be quadratic.
  const prevSeen = new Set<string>();

  for (const tag of tags) {
    const colon = tag.indexOf(':');
    const key = colon < 0 ? tag : tag.slice(0, colon);
    const value = colon < 0 ? '' : tag.slice(colon + 1);

    if (colon < 0 && KIND_TAGS.has(tag)) {
      if (!kindDecided) {
        annotation.kind = tag as CellKind;
        annotation.appliedTags.push(tag);
        kindDecided = true;
      }
      continue;
    }
    switch (key) {
      case 'step':
      case 'block':
        if (kindDecided) break;
        kindDecided = true;
        annotation.kind = 'step';
        annotation.step = value;
        annotation.stepAlias = key;
        annotation.appliedTags.push(tag);
        if (!STEP_NAME.test(value)) diagnostics.push(tagError.invalidStepName(cellIndex, value));
        break;
      case 'prev':
        if (!STEP_NAME.test(value)) diagnostics.push(tagError.invalidStepName(cellIndex, value));
        else {
          if (!prevSeen.has(value)) {
            prevSeen.add(value);
            annotation.prev.push(value);
          }
          annotation.appliedTags.push(tag);
        }
        break;
      default: {
        const problem = readSetting(annotation.settings, key, value);
        if (problem) diagnostics.push(tagError.invalidTagValue(cellIndex, tag, problem));
        else if (SETTING_KEYS.has(key)) annotation.appliedTags.push(tag);
      }
    }
  }

  const hasSettings = Object.keys(annotation.settings).length > 0;
  if (annotation.kind !== 'step') {
    for (const tag of tags) {
      if (tag.startsWith('prev:')) diagnostics.push(tagError.prevWithoutStep(cellIndex, tag));
      else if (hasSettings && isSettingTag(tag)) diagnostics.push(tagError.stepSettingWithoutStep(cellIndex, tag));
    }
  }
  return { annotation, diagnostics };
}

const SETTING_KEYS = new Set(['limit', 'annotation', 'label', 'image', 'cache', 'retry', 'timeout']);

function isSettingTag(tag: string): boolean {
  const colon = tag.indexOf(':');
  return colon > 0 && SETTING_KEYS.has(tag.slice(0, colon));
}

/** Reads one per-step setting into `settings`; returns what is wrong with it, if anything. */
function readSetting(settings: Partial<StepSettings>, key: string, value: string): string | undefined {
  switch (key) {
    case 'limit': {
      // Resources may contain dots and slashes (`nvidia.com/gpu`); quantities never contain colons.
      const split = value.lastIndexOf(':');
      if (split <= 0 || split === value.length - 1)
        return 'Write `limit:<resource>:<quantity>`, e.g. `limit:memory:4Gi` or `limit:nvidia.com/gpu:1`.';
      const [resource, quantity] = [value.slice(0, split), value.slice(split + 1)];
      if (resource === 'memory') {
        const bytes = parseQuantity(quantity);
        if (bytes === undefined)
          return 'Write the memory as a Kubernetes quantity, e.g. `limit:memory:512Mi` or `limit:memory:4Gi`.';
        if (bytes < MIN_STEP_MEMORY_BYTES)
          return 'A step needs at least 32Mi to start: write e.g. `limit:memory:256Mi`.';
      }
      // Written in place, not spread: a copy per tag would be quadratic in the number of tags.
      setOwn((settings.limits ??= {}), resource, quantity);
      return undefined;
    }
    case 'annotation':
    case 'label': {
      const split = value.indexOf(':');
      if (split <= 0) return `Write \`${key}:<key>:<value>\`, e.g. \`${key}:team:vision\`.`;
      const field = key === 'annotation' ? 'annotations' : 'labels';
      setOwn((settings[field] ??= {}), value.slice(0, split), value.slice(split + 1));
      return undefined;
    }
    case 'image':
      if (!value) return 'Write `image:<image reference>`, e.g. `image:node:20`.';
      settings.image = value;
      return undefined;
    case 'cache':
      if (value !== 'enabled' && value !== 'disabled') return 'Write `cache:enabled` or `cache:disabled`.';
      settings.cache = value === 'enabled';
      return undefined;
    case 'retry':
      if (!/^\d+$/.test(value)) return 'Write `retry:<n>` with a whole number of retries, e.g. `retry:2`.';
      settings.retry = Number(value);
      return undefined;
    case 'timeout':
      if (!/^[1-9]\d*$/.test(value))
        return 'Write `timeout:<seconds>` with a positive whole number, e.g. `timeout:600`.';
      settings.timeoutSeconds = Number(value);
      return undefined;
    default:
      return undefined; // not ours: kept as is
  }
}

/** `record[key] = value` as an own property, even for `__proto__` (as a spread `{ [key]: value }` would). */
function setOwn(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The tags that express `annotation`, in the order of the tags it was read from. */
export function writeCellAnnotation(annotation: CellAnnotation): string[] {
  const wanted = annotationTags(annotation);
  const wantedSet = new Set(wanted);
  // Only tags whose meaning the annotation held, and no longer holds, go: the rest stay as the user wrote them.
  const applied = new Set(annotation.appliedTags);
  const kept = annotation.sourceTags.filter(tag => wantedSet.has(tag) || !applied.has(tag));
  const keptSet = new Set(kept);
  return [...kept, ...wanted.filter(tag => !keptSet.has(tag))];
}

function annotationTags(a: CellAnnotation): string[] {
  const tags: string[] = [];
  if (a.kind === 'step' && a.step !== undefined) tags.push(`${a.stepAlias}:${a.step}`);
  else if (a.kind !== 'continue' && a.kind !== 'step') tags.push(a.kind);
  for (const p of a.prev) tags.push(`prev:${p}`);
  const s = a.settings;
  for (const [k, v] of Object.entries(s.limits ?? {})) tags.push(`limit:${k}:${v}`);
  for (const [k, v] of Object.entries(s.annotations ?? {})) tags.push(`annotation:${k}:${v}`);
  for (const [k, v] of Object.entries(s.labels ?? {})) tags.push(`label:${k}:${v}`);
  if (s.image !== undefined) tags.push(`image:${s.image}`);
  if (s.cache !== undefined) tags.push(`cache:${s.cache ? 'enabled' : 'disabled'}`);
  if (s.retry !== undefined) tags.push(`retry:${s.retry}`);
  if (s.timeoutSeconds !== undefined) tags.push(`timeout:${s.timeoutSeconds}`);
  return tags;
}
