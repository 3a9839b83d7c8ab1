/**
 * Step names after what a step makes, in Kale's step-name grammar
 * (`[_a-z][_a-z0-9]*`, annotations/tags.ts): `trainData` → `train_data`.
 */
import { STEP_NAME } from '../annotations/tags.js';

export function stepNameFrom(words: readonly string[], taken: ReadonlySet<string>, fallback: string): string {
  const parts = [...new Set(words.map(sanitize).filter(part => part !== ''))].slice(0, 2);
  // Two names when they are short (`mean_x_and_max_y`), else the first one (`linear_model`).
  const joined = parts.join('_and_');
  let base = parts.length === 0 ? fallback : joined.length <= 24 ? joined : parts[0];
  if (!STEP_NAME.test(base)) base = `step_${base}`.replace(/[^_a-z0-9]/g, '_');
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

function sanitize(word: string): string {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^_a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
