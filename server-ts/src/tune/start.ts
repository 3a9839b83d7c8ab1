/**
 * Starting or resuming an experiment on a compiled notebook: what `cellflow tune` and `POST /api/experiments`
 * share, so both read the same spec (`katib_metadata` with the same overrides), draw the seed the same way and
 * give the trials the same share of the machine.
 */
import { randomInt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { ulid } from 'ulid';
import { NotebookHasErrors, type CompiledNotebook } from '../compile/index.js';
import { tuneError } from '../diagnostics/codes.js';
import { resolveParameterValues } from '../engine/parameter-values.js';
import type { Engine } from '../engine/types.js';
import type { ParameterValue } from '../ir.js';
import { ExperimentFiles } from './experiment-store.js';
import { type ExperimentRecord, newExperiment, runExperiment } from './experiment.js';
import { readExperimentSpec } from './spec.js';

export interface ExperimentStartOptions {
  /** Overrides of the spec's `maxTrialCount` and `parallelTrialCount`. */
  maxTrialCount?: number;
  parallelTrialCount?: number;
  /** Untuned pipeline parameters for every trial (strings as `--param` gives them, or values). */
  parameters?: Record<string, string | ParameterValue>;
  /** Go on with this stopped experiment of the notebook rather than start one (from its recorded `baseParameters`). */
  resume?: string;
}

/** A record ready to run, with the parameter values every trial starts from. */
export interface PreparedExperiment {
  record: ExperimentRecord;
  baseParameters: Record<string, ParameterValue>;
}

export interface StartedExperiment {
  /** The record being run: saved, and updated in place, as the experiment goes. */
  record: ExperimentRecord;
  /** Where experiment records of this notebook live (`.cellflow/` beside it). */
  stateDir: string;
  /** Resolves with the final record. */
  done: Promise<ExperimentRecord>;
}

/** The notebook's `.cellflow/` state folder, which holds its experiments. */
export function experimentStateDir(notebookPath: string): string {
  return join(dirname(notebookPath), '.cellflow');
}

/**
 * A new experiment from the notebook's spec, or the record to resume; nothing is saved or run yet. Throws
 * `NotebookHasErrors` with `tune-spec-has-errors` (every error, located at its cell or metadata field) when the
 * spec does not read, and a parameter's own error for a bad override.
 */
export function prepareExperiment(compiled: CompiledNotebook, options: ExperimentStartOptions): PreparedExperiment {
  const record = experimentRecord(compiled, options);
  // A resumed experiment starts from the values its first trials had; overrides given now are laid over them.
  const baseParameters = resolveParameterValues(compiled.local.plan.parameters, {
    ...(record.baseParameters ?? {}),
    ...(options.parameters ?? {})
  });
  record.baseParameters = baseParameters;
  return { record, baseParameters };
}

function experimentRecord(compiled: CompiledNotebook, options: ExperimentStartOptions): ExperimentRecord {
  const files = new ExperimentFiles(experimentStateDir(compiled.notebookPath));
  if (options.resume) return files.load(options.resume);
  const { ir } = compiled.analysis;
  const metadata = ir.settings.katib_metadata ? { ...ir.settings.katib_metadata } : undefined;
  if (metadata && options.maxTrialCount !== undefined) metadata.maxTrialCount = options.maxTrialCount;
  if (metadata && options.parallelTrialCount !== undefined) metadata.parallelTrialCount = options.parallelTrialCount;
  const { spec, diagnostics } = readExperimentSpec(metadata, ir);
  if (!spec) throw new NotebookHasErrors(diagnostics, tuneError.specHasErrors(diagnostics.length));
  return newExperiment(ulid(), compiled.notebookPath, spec, randomInt(0, 2 ** 32));
}

/**
 * Runs the prepared record over the engine, in the background. The trials share the machine's cores, all of
 * them: `runExperiment` splits them between the trials in flight.
 */
export function startExperiment(
  compiled: CompiledNotebook,
  { record, baseParameters }: PreparedExperiment,
  engine: Engine,
  options: { signal?: AbortSignal; onChange?: (record: ExperimentRecord) => void } = {}
): StartedExperiment {
  const stateDir = experimentStateDir(compiled.notebookPath);
  const done = runExperiment(record, {
    engine,
    compiled,
    baseParameters,
    store: new ExperimentFiles(stateDir),
    concurrency: availableParallelism(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onChange ? { onChange: options.onChange } : {})
  });
  return { record, stateDir, done };
}
