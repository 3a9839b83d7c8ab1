/**
 * Results a partial run may reuse: a step's cache entry under its current key, or a step of a past run of the
 * notebook that recorded the same key and whose outputs are all still on disk at their sizes. And, when there
 * is none, why not, in words for the refusal.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlanStep } from '../../compile/local/plan.js';
import type { ParameterValue } from '../../ir.js';
import { manifestFormat } from '../../runtime/marshal.js';
import type { StepResult } from '../../runtime/step-context.js';
import type { ReusedFrom, RunView } from '../types.js';
import type { RunStore } from './run-store.js';
import type { StepCache } from './step-cache.js';
import { readResult } from './step-outcome.js';
import { changedSinceCached } from './outside-files.js';
import { stepPaths, type StepPaths } from './step-process.js';

export interface ReusedResult {
  key: string;
  outputsDir: string;
  result: StepResult;
  /** Its artifacts, metrics and displays: copied into the new run's step folder, as a cache hit's are. */
  files: Pick<StepPaths, 'artifactsDir' | 'metricsFile' | 'displaysFile' | 'writtenDir' | 'outputsDir' | 'resultFile'>;
  from: ReusedFrom;
}

export class PastResults {
  private runs?: RunView[];

  constructor(
    private readonly store: RunStore,
    private readonly cache: StepCache,
    private readonly notebookPath: string,
    /** false: the cache is not consulted (a run without the cache); past runs still are. */
    private readonly useCache: boolean
  ) {}

  /** The notebook's runs, newest first, read once. */
  private pastRuns(): RunView[] {
    this.runs ??= this.store.listRuns().filter(run => run.notebookPath === this.notebookPath);
    return this.runs;
  }

  /** A result of `step` made under exactly `key`, whole on disk; the cache first, then the newest run. */
  find(step: string, key: string): ReusedResult | undefined {
    const entry = this.useCache ? this.cache.lookup(key) : undefined;
    const cached = entry && readResult(entry.resultFile);
    if (entry && cached && !changedSinceCached(cached.files))
      return { key, outputsDir: entry.outputsDir, result: cached, files: entry, from: { source: 'cache' } };
    for (const run of this.pastRuns()) {
      const record = run.steps[step];
      if (record?.status !== 'succeeded' || record.cacheKey !== key || !record.outputsDir) continue;
      // The report lies beside the outputs: in the step's own folder, or in the cache entry it came from.
      const result = readResult(join(dirname(record.outputsDir), 'result.json'));
      if (!result || !outputsComplete(record.outputsDir, result.saved) || changedSinceCached(result.files)) continue;
      const files = stepPaths(this.store.stepDir(run.id, step));
      return { key, outputsDir: record.outputsDir, result, files, from: { source: 'run', runId: run.id } };
    }
    return undefined;
  }

  /**
   * Why no result of `step` is what it would compute now, from the newest run that ran it: never run, its
   * parameters differ, an upstream step's result differs, its outputs are gone, or else its code changed.
   */
  whyMissing(
    step: PlanStep,
    key: string,
    parameters: Record<string, ParameterValue>,
    /** The current keys of the steps before it. */
    keys: ReadonlyMap<string, string>,
    /** The current workspace files' key. */
    workspace: string | null = null
  ): string {
    const last = this.pastRuns().find(run => run.steps[step.name]?.status === 'succeeded');
    const record = last?.steps[step.name];
    if (!last || !record) return 'it has never run successfully here';
    if (record.cacheKey === key) return `the outputs it saved in run ${last.id} are no longer all on disk`;
    const changed = step.parameters.filter(p => JSON.stringify(last.parameters[p]) !== JSON.stringify(parameters[p]));
    if (changed.length > 0) {
      const was = changed.map(
        p => `\`${p}\` was ${JSON.stringify(last.parameters[p])}, now ${JSON.stringify(parameters[p])}`
      );
      return `its parameters differ from run ${last.id} (${was.join(', ')})`;
    }
    if ((last.workspaceKey ?? null) !== workspace)
      return `the workspace's files differ from run ${last.id} (a file added, changed or removed since)`;
    const upstream = Object.values(record.inputsFrom ?? {}).find(from => last.steps[from]?.cacheKey !== keys.get(from));
    if (upstream !== undefined) return `what it loads from step \`${upstream}\` differs from run ${last.id}`;
    return `its code changed since run ${last.id} (its cells, the prelude it uses, or cellflow itself)`;
  }
}

/**
 * Every saved name has a value manifest in `dir`, and every file a manifest lists is there at its size: one stat
 * per file, the values themselves unread (as the cache checks its entries).
 */
export function outputsComplete(dir: string, saved: readonly string[]): boolean {
  const named = new Set<string>();
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return saved.length === 0;
  }
  for (const file of files.filter(f => f.endsWith('.json'))) {
    let manifest: { format?: unknown; names?: unknown; name?: unknown; data?: unknown; blobs?: unknown };
    try {
      manifest = JSON.parse(readFileSync(join(dir, file), 'utf8')) as typeof manifest;
    } catch {
      continue;
    }
    if (manifest?.format !== manifestFormat) continue;
    const stored = [manifest.data, ...(Array.isArray(manifest.blobs) ? manifest.blobs : [])] as unknown[];
    if (!stored.every(s => storedIntact(dir, s))) return false;
    const names = Array.isArray(manifest.names) ? manifest.names : [manifest.name];
    for (const name of names) if (typeof name === 'string') named.add(name);
  }
  return saved.every(name => named.has(name));
}

function storedIntact(dir: string, stored: unknown): boolean {
  const { file, bytes } = (stored ?? {}) as { file?: unknown; bytes?: unknown };
  if (typeof file !== 'string' || typeof bytes !== 'number' || file.includes('/') || file.includes('\\')) return false;
  try {
    return statSync(join(dir, file)).size === bytes;
  } catch {
    return false;
  }
}
