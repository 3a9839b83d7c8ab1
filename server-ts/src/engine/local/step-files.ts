/**
 * What a finished step leaves for its run's record: its metrics, the files it wrote and what it displayed (each
 * display with its cell), and for a cache hit the entry's files copied into the step's folder first.
 */
import { constants, cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readDisplayIndex } from '../../runtime/displays.js';
import type { DisplayArtifact } from '../types.js';
import type { StepPaths } from './step-process.js';

export interface StepFiles {
  /** Relative to the run folder. */
  artifacts: string[];
  displays: DisplayArtifact[];
}

/** The step's files (what it wrote and what it displayed), paths relative to the run folder. */
export function stepFiles(step: string, paths: StepPaths, runDir: string): StepFiles {
  const artifacts = listFiles(paths.artifactsDir).map(file => relative(runDir, file));
  const displays = readDisplayIndex(paths.displaysFile).map(shown => ({
    step,
    cellIndex: shown.cellIndex,
    mimeType: shown.mimeType,
    path: relative(runDir, join(paths.artifactsDir, shown.file))
  }));
  return { artifacts, displays };
}

/** The metrics the step reported (none when it wrote no metrics file). */
export function stepMetrics(paths: StepPaths): Record<string, number> {
  if (!existsSync(paths.metricsFile)) return {};
  return JSON.parse(readFileSync(paths.metricsFile, 'utf8')) as Record<string, number>;
}

/**
 * A cache hit's artifacts, metrics, displays, state and the workspace files it wrote, copied into the step's folder (its
 * outputs stay in the entry, where the record points). `whole`: its outputs and result report too (cloned where
 * the file system can), so the step's folder holds everything for its snapshot.
 */
export function copyCachedFiles(
  hit: Pick<StepPaths, 'artifactsDir' | 'metricsFile' | 'displaysFile' | 'writtenDir' | 'outputsDir' | 'resultFile'> & {
    stateDir?: string;
  },
  paths: StepPaths,
  options: { whole?: boolean } = {}
): void {
  mkdirSync(paths.dir, { recursive: true });
  const clone = { recursive: true, mode: constants.COPYFILE_FICLONE };
  if (existsSync(hit.artifactsDir)) cpSync(hit.artifactsDir, paths.artifactsDir, clone);
  if (existsSync(hit.metricsFile)) cpSync(hit.metricsFile, paths.metricsFile);
  if (existsSync(hit.displaysFile)) cpSync(hit.displaysFile, paths.displaysFile);
  if (existsSync(hit.writtenDir)) cpSync(hit.writtenDir, paths.writtenDir, clone);
  // Its state always: a cache hit's step can be restored from its folder.
  const state = hit.stateDir ?? join(dirname(hit.outputsDir), 'state');
  if (existsSync(state)) cpSync(state, paths.stateDir, clone);
  if (!options.whole) return;
  if (existsSync(hit.outputsDir)) cpSync(hit.outputsDir, paths.outputsDir, clone);
  if (existsSync(hit.resultFile)) cpSync(hit.resultFile, paths.resultFile);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath ?? dir, entry.name))
    .sort();
}
