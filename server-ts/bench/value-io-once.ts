/**
 * One side of a value hand-over, run in its own process as a step would be:
 * `save <dir> <what>` makes the data and saves it as a step does (with the plan check's fingerprints unless
 * CELLFLOW_PLAN_CHECK=off); `load <dir> <what>` loads it and checks it as the plan check does (runtime/step.ts:
 * as loaded, against the recorded fingerprint or by fingerprinting it, and as the step ends);
 * `raw-write <file>` / `raw-read <file>` move the same bytes with plain file I/O, the baseline. Prints timings in
 * milliseconds as JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { changedSinceLoad, fingerprintAsLoaded, type LoadedFingerprint } from '../src/runtime/load-check.js';
import { loadValues, recordedFingerprints, saveValues } from '../src/runtime/marshal.js';

const [mode, target, what = 'floats'] = process.argv.slice(2);
const MB = 1024 * 1024;

/** 200 MB of float32s, written with a pattern so no page is all zeros. */
function floats(): Float32Array {
  const array = new Float32Array((200 * MB) / 4);
  for (let i = 0; i < array.length; i += 1021) array[i] = i;
  return array;
}

/** 200 MB of typed arrays in four parts, and a graph of a million objects sharing a thousand groups. */
function mixed(): Record<string, unknown> {
  const parts = Array.from({ length: 4 }, (_, k) => {
    const part = new Float32Array((50 * MB) / 4);
    for (let i = 0; i < part.length; i += 997) part[i] = i + k;
    return part;
  });
  const groups = Array.from({ length: 1000 }, (_, g) => ({ group: g, label: `group ${g}` }));
  const rows = Array.from({ length: 1_000_000 }, (_, i) => ({ id: i, score: i * 0.5, group: groups[i % 1000] }));
  return { parts, rows };
}

const planCheck = process.env.CELLFLOW_PLAN_CHECK !== 'off';
const ctx = { step: 'bench', consumers: {}, classes: {}, fingerprints: planCheck };
const time = async (work: () => unknown): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

if (mode === 'save') {
  const values = what === 'floats' ? { data: floats() } : mixed();
  const saveMs = await time(() => saveValues(target!, values, ctx));
  process.stdout.write(JSON.stringify({ saveMs }) + '\n');
} else if (mode === 'load') {
  const names = what === 'floats' ? ['data'] : ['parts', 'rows'];
  let values: Record<string, unknown> = {};
  const loadMs = await time(async () => {
    values = await loadValues(target!, names, { step: 'bench', consumer: 'bench', classes: {} });
  });
  const checks: Record<string, LoadedFingerprint> = {};
  const asLoadedMs = await time(() => {
    const fingerprints = recordedFingerprints(target!);
    const again = async () => {
      throw new Error('the bench does not change what it loaded');
    };
    for (const name of names) checks[name] = fingerprintAsLoaded(values[name], fingerprints[name], again);
  });
  const atEndMs = await time(async () => {
    for (const name of names) {
      if ((await changedSinceLoad(checks[name]!, values[name])).changed) throw new Error(`${name} changed`);
    }
  });
  const fingerprintMs = asLoadedMs + atEndMs;
  const how = Object.fromEntries(names.map(name => [name, checks[name]!.kind]));
  process.stdout.write(JSON.stringify({ loadMs, fingerprintMs, asLoadedMs, atEndMs, how }) + '\n');
} else if (mode === 'raw-write') {
  const array = floats();
  const writeMs = await time(() => writeFileSync(target!, new Uint8Array(array.buffer)));
  process.stdout.write(JSON.stringify({ writeMs }) + '\n');
} else if (mode === 'raw-read') {
  let bytes = 0;
  const readMs = await time(() => {
    bytes = readFileSync(target!).byteLength;
  });
  process.stdout.write(JSON.stringify({ readMs, bytes }) + '\n');
}
