/**
 * What the run-time plan check costs, and how fast values move between steps.
 * Each figure is a ratio against a baseline measured in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function once<T>(args: string[], env: Record<string, string> = {}): T {
  const output = execFileSync(process.execPath, [join(here, 'value-io-once.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1024 * 1024
  });
  return JSON.parse(output) as T;
}

/**
 * A step loading 200 MB of typed arrays plus a million-object graph: the check's cost (as loaded: nothing but
 * reading the producer's recorded fingerprints; as the step ends: one walk over each value, compared with them)
 * against the load's own (reading and decoding). What the producer pays to record them is measured too: its save
 * with the plan check against its save without.
 */
export function benchCheckCost(workDir: string) {
  const dir = join(workDir, 'check-cost');
  const saves: { checked: number; unchecked: number }[] = [];
  for (let i = 0; i < 3; i++) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const unchecked = once<{ saveMs: number }>(['save', dir, 'mixed'], { CELLFLOW_PLAN_CHECK: 'off' }).saveMs;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const checked = once<{ saveMs: number }>(['save', dir, 'mixed']).saveMs;
    saves.push({ checked, unchecked });
  }
  type LoadRun = { loadMs: number; fingerprintMs: number; asLoadedMs: number; atEndMs: number };
  const runs = Array.from({ length: 3 }, () => once<LoadRun & { how: Record<string, string> }>(['load', dir, 'mixed']));
  const loadMs = median(runs.map(r => r.loadMs));
  const fingerprintMs = median(runs.map(r => r.fingerprintMs));
  const savedChecked = median(saves.map(s => s.checked));
  const savedUnchecked = median(saves.map(s => s.unchecked));
  rmSync(dir, { recursive: true, force: true });
  return {
    what: '200 MB of Float32Arrays (4 x 50 MB) + 1,000,000 objects sharing 1,000 groups, loaded in a fresh process',
    loadMs: round(loadMs, 1),
    checkMs: round(fingerprintMs, 1),
    checkVsLoadRatio: round(fingerprintMs / loadMs),
    target: 0.25,
    howChecked: runs[0]!.how,
    producerSave: {
      what: 'the producing step saving the same values, recording their fingerprints (plan check on) against not',
      checkedMs: round(savedChecked, 1),
      uncheckedMs: round(savedUnchecked, 1),
      checkedVsUncheckedRatio: round(savedChecked / savedUnchecked)
    },
    runs,
    saveRunsMs: saves.map(s => ({ checked: round(s.checked, 1), unchecked: round(s.unchecked, 1) }))
  };
}

/**
 * The hand-over of a 200 MB Float32Array between two step processes (save in one, load in the next) against
 * writing the same bytes to a file in one process and reading them in another: speed as a fraction of raw.
 */
export function benchHandOver(workDir: string) {
  const dir = join(workDir, 'hand-over');
  const rawFile = join(workDir, 'raw.bin');
  const handOver: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 3; i++) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const { saveMs } = once<{ saveMs: number }>(['save', dir, 'floats']);
    const { loadMs } = once<{ loadMs: number }>(['load', dir, 'floats'], { CELLFLOW_PLAN_CHECK: 'off' });
    handOver.push(saveMs + loadMs);
    const { writeMs } = once<{ writeMs: number }>(['raw-write', rawFile]);
    const { readMs } = once<{ readMs: number }>(['raw-read', rawFile]);
    raw.push(writeMs + readMs);
    rmSync(rawFile, { force: true });
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    what: 'save + load of a 200 MB Float32Array in two processes, against writeFileSync + readFileSync of 200 MB',
    handOverMs: round(median(handOver), 1),
    rawWriteReadMs: round(median(raw), 1),
    speedVsRawRatio: round(median(raw) / median(handOver)),
    target: 0.5,
    handOverRunsMs: handOver.map(x => round(x, 1)),
    rawRunsMs: raw.map(x => round(x, 1))
  };
}
