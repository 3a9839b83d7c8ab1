/**
 * Step caching: a step's key covers its program (prelude and cells), the
 * parameter values it reads and the keys of its inputs, so a change anywhere
 * upstream changes every key below it. A key holds versions of its entry: each
 * a folder renamed into place whole, never changed or removed while a run may
 * read it, and `current` (written atomically) names the one lookups use; a
 * replacement is a new version. Each entry lists its files with
 * their sizes (`entry.json`); a lookup checks them and the result report, so an
 * entry damaged since (a truncated value file, a torn report) is a miss and the
 * step runs again, instead of a downstream step failing on what it loads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import writeFileAtomic from 'write-file-atomic';
import type { PlanStep } from '../../compile/local/plan.js';
import type { ParameterValue } from '../../ir.js';
import type { EnvChange } from '../../runtime/state-watch.js';
import { readResult } from './step-outcome.js';

/**
 * 2: entries hold the step's result report; keys name each input's actual producer and the inherited env.
 * 3: entry.json lists every file of the entry with its size.
 * 4: a key holds immutable versions and a `current` pointer.
 * 5: keys cover the workspace's files; entries hold the workspace files the step wrote.
 * 6: keys cover the steps it runs after (their files reach it through the copy, not only their values).
 */
const CACHE_FORMAT = 6;

/** Versions other than the current one are removed once this old: no run reads one that long. */
const OLD_VERSION_MS = 24 * 60 * 60 * 1000;

export function stepCacheKey(
  step: PlanStep,
  parameters: Record<string, ParameterValue>,
  /** Per input name: the producing step and its cache key. */
  inputKeys: Record<string, string>,
  env: EnvChange = { set: {}, unset: [] },
  /** The run's workspace files (workspace-key.ts); null when the run works in the live folder. */
  workspace: string | null = null,
  /** Per step it runs after (`prev:`): that step's result key. */
  after: Record<string, string> = {}
): string {
  const material = {
    format: CACHE_FORMAT,
    node: process.versions.node,
    runtime: runtimeHash(),
    code: step.codeHash,
    parameters: step.parameters.map(name => [name, parameters[name]]),
    inputs: Object.entries(inputKeys).sort(),
    env: [Object.entries(env.set).sort(), [...env.unset].sort()],
    workspace,
    after: Object.entries(after).sort()
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex');
}

let runtime: string | undefined;

/** The step runtime's own code, hashed: step programs import it, so a changed runtime changes every result. */
function runtimeHash(): string {
  if (runtime === undefined) {
    const dir = fileURLToPath(new URL('../../runtime/', import.meta.url));
    const hash = createHash('sha256');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.js'));
    for (const file of files.sort()) {
      hash.update(file).update(readFileSync(join(dir, file)));
    }
    runtime = hash.digest('hex');
  }
  return runtime;
}

export interface CacheEntry {
  dir: string;
  outputsDir: string;
  artifactsDir: string;
  metricsFile: string;
  resultFile: string;
  displaysFile: string;
  /** The workspace files the step wrote (written-files.ts). */
  writtenDir: string;
  /** The step's state (runtime/step-state.ts), so a cache hit's step can be restored too. */
  stateDir: string;
}

export class StepCache {
  constructor(private readonly root: string) {}

  private static at(dir: string): CacheEntry {
    return {
      dir,
      outputsDir: join(dir, 'outputs'),
      artifactsDir: join(dir, 'artifacts'),
      metricsFile: join(dir, 'metrics.json'),
      resultFile: join(dir, 'result.json'),
      displaysFile: join(dir, 'displays.jsonl'),
      writtenDir: join(dir, 'workspace-files'),
      stateDir: join(dir, 'state')
    };
  }

  /** The current entry for `key` when it is there whole: every file it listed when stored, at its size, and a result report. */
  lookup(key: string): CacheEntry | undefined {
    let version: string;
    try {
      version = readFileSync(join(this.root, key, 'current'), 'utf8').trim();
    } catch {
      return undefined;
    }
    if (!/^v-[\w-]+$/.test(version)) return undefined;
    const entry = StepCache.at(join(this.root, key, version));
    return intact(entry) ? entry : undefined;
  }

  /**
   * Lookups of `key` miss from now on (its `current` pointer is removed). The versions stay until they are old, as
   * after a replacement: a run may be reading one now.
   */
  forget(key: string): void {
    rmSync(join(this.root, key, 'current'), { force: true });
  }

  /**
   * Copies a finished step's outputs, artifacts and metrics into the cache as a new version of the key's entry.
   * An intact entry already there is kept unless `replace` (a run without the cache: what it made replaces what
   * may be damaged). The entry it replaces stays until it is a day old: a run may be reading it now.
   */
  store(
    key: string,
    step: string,
    from: Omit<CacheEntry, 'dir' | 'writtenDir' | 'stateDir'> & { writtenDir?: string; stateDir?: string },
    options: { replace?: boolean } = {}
  ): CacheEntry {
    const existing = this.lookup(key);
    if (!options.replace && existing) return existing;
    const keyDir = join(this.root, key);
    const unique = `${Date.now()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    const staging = join(keyDir, `staging-${unique}`);
    mkdirSync(staging, { recursive: true });
    try {
      if (existsSync(from.outputsDir)) cpSync(from.outputsDir, join(staging, 'outputs'), { recursive: true });
      if (existsSync(from.artifactsDir)) cpSync(from.artifactsDir, join(staging, 'artifacts'), { recursive: true });
      if (existsSync(from.metricsFile)) cpSync(from.metricsFile, join(staging, 'metrics.json'));
      if (existsSync(from.displaysFile)) cpSync(from.displaysFile, join(staging, 'displays.jsonl'));
      if (existsSync(from.resultFile)) cpSync(from.resultFile, join(staging, 'result.json'));
      // The step's state (`state/`, beside its outputs: runtime), for the snapshot a cache hit takes of its folder.
      const state = from.stateDir ?? join(dirname(from.outputsDir), 'state');
      if (existsSync(state)) cpSync(state, join(staging, 'state'), { recursive: true });
      if (from.writtenDir !== undefined && existsSync(from.writtenDir))
        cpSync(from.writtenDir, join(staging, 'workspace-files'), { recursive: true });
      const record: EntryRecord = { step, createdAt: new Date().toISOString(), files: fileSizes(staging) };
      writeFileAtomic.sync(join(staging, 'entry.json'), JSON.stringify(record) + '\n');
      const version = `v-${unique}`;
      renameSync(staging, join(keyDir, version));
      writeFileAtomic.sync(join(keyDir, 'current'), version + '\n');
      removeOldVersions(keyDir, version);
      return StepCache.at(join(keyDir, version));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true }); // a full disk leaves no half-made entry behind
      throw error;
    }
  }
}

/** Versions (and staging folders of engines that died) a day old, other than the current one. */
function removeOldVersions(keyDir: string, current: string): void {
  const now = Date.now();
  for (const name of readdirSync(keyDir)) {
    if (name === current || name === 'current') continue;
    const path = join(keyDir, name);
    try {
      if (now - statSync(path).mtimeMs > OLD_VERSION_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // another engine removed it first
    }
  }
}

/** entry.json: written last into the staged entry. */
interface EntryRecord {
  step: string;
  createdAt: string;
  /** Every other file of the entry, by its `/`-separated path inside it, with its size in bytes. */
  files: Record<string, number>;
}

function fileSizes(dir: string): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const stat = statSync(join(dir, file));
    if (stat.isFile()) sizes[file.split(/[\\/]/).join('/')] = stat.size;
  }
  return sizes;
}

/** Cheap: one stat per file and the result report parsed; the values themselves are not read. */
function intact(entry: CacheEntry): boolean {
  let record: Partial<EntryRecord>;
  try {
    record = JSON.parse(readFileSync(join(entry.dir, 'entry.json'), 'utf8')) as Partial<EntryRecord>;
  } catch {
    return false;
  }
  const files = record?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return false;
  for (const [file, size] of Object.entries(files)) {
    try {
      if (statSync(join(entry.dir, file)).size !== size) return false;
    } catch {
      return false;
    }
  }
  return readResult(entry.resultFile) !== undefined;
}
