/**
 * What a finished step process left behind, read back: its result report, its own account of a failure, or,
 * when it could not give one (it never loaded, ran out of memory, was killed), what its exit says.
 */
import { readFileSync } from 'node:fs';
import { stepError } from '../../diagnostics/codes.js';
import { UNSETTLED_TOP_LEVEL_AWAIT, type StepFailure, type StepResult } from '../../runtime/step-context.js';
import { failureOf } from '../../runtime/step-failure.js';

export { failureOf } from '../../runtime/step-failure.js';
import type { StepExit } from './step-process.js';
import type { StepImportSite } from '../../compile/local/plan.js';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { livePathOf } from './run-workspace.js';

/** The step's result report; undefined when it is missing, torn or not of a result's shape (a damaged cache entry). */
export function readResult(path: string): StepResult | undefined {
  const result = readJson<unknown>(path);
  return isStepResult(result) ? result : undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields the engine reads, checked as cheaply as it reads them: their types, not their contents. */
function isStepResult(value: unknown): value is StepResult {
  if (!isObject(value) || !isObject(value.loaded) || !isObject(value.state)) return false;
  const { state } = value;
  return (
    Array.isArray(value.saved) &&
    Array.isArray(value.unplannedWrites) &&
    Array.isArray(state.prelude) &&
    Array.isArray(state.globals) &&
    isObject(state.env) &&
    isObject(state.env.set) &&
    Array.isArray(state.env.unset)
  );
}

export function readFailure(path: string): StepFailure | undefined {
  return readJson<StepFailure>(path);
}

/** Why a process that wrote no failure of its own ended, in the user's words. */
export function exitFailure(
  step: string,
  exit: StepExit,
  settings: { timeoutSeconds?: number; memoryLimit?: string; imports?: readonly StepImportSite[] }
): StepFailure {
  const { code, signal, stderrTail } = exit;
  if (exit.spawnError) return failureOf(stepError.couldNotStart(step, exit.spawnError.message));
  if (exit.timedOut) return failureOf(stepError.timedOut(step, settings.timeoutSeconds ?? 0));
  if (/JavaScript heap out of memory|Reached heap limit|Fatal JavaScript out of memory/.test(stderrTail))
    return failureOf(stepError.outOfMemory(step, settings.memoryLimit));
  if (/\bENOSPC\b|no space left on device/i.test(stderrTail)) return failureOf(stepError.diskFull(step, 'ENOSPC'));
  const loadError = moduleLoadError(stderrTail);
  if (loadError)
    return { ...failureOf(stepError.couldNotLoad(step, loadError.text)), ...importPlace(loadError, settings.imports) };
  if (code === UNSETTLED_TOP_LEVEL_AWAIT && !signal)
    return failureOf(stepError.awaitNeverSettles({ cellIndex: null }, step));
  if (signal) return failureOf(stepError.killed(step, signal));
  return failureOf(stepError.exited(step, code));
}

/**
 * The cell and line of the import that loads the failing module: the one naming the missing package or file
 * (`Cannot find package 'x'`), or the local module whose own source does not parse.
 */
function importPlace(
  error: { text: string; file?: string },
  sites: readonly StepImportSite[] = []
): Pick<StepFailure, 'cellIndex' | 'line' | 'column'> | Record<string, never> {
  const found = /Cannot find (?:package|module) '([^']+)'/.exec(error.text)?.[1];
  const missing = found === undefined ? undefined : livePathOf(found);
  const file = error.file === undefined ? undefined : livePathOf(error.file);
  const site = sites.find(s => {
    if (missing !== undefined) {
      const path = missing.startsWith('/') ? pathToFileURL(missing).href : missing;
      return (
        s.specifier === missing ||
        s.resolved === path ||
        s.resolved.startsWith(`${path}.`) ||
        path.startsWith(s.resolved)
      );
    }
    return file !== undefined && (file === s.resolved || file === fileURLToPath(s.resolved));
  });
  return site ? { cellIndex: site.cellIndex, line: site.line, column: site.column } : {};
}

/** Node's report of a module that failed to resolve, link or parse before the step's code ran. */
function moduleLoadError(stderr: string): { text: string; file?: string } | undefined {
  const lines = stderr.split('\n');
  const at = lines.findIndex(line => /^(?:\w*Error)(?: \[ERR_[A-Z_]+\])?: /.test(line));
  if (at < 0) return undefined;
  const message = lines[at]!;
  // A parse error names the file and line just above the caret: `file:///…/module.mjs:3`.
  const where = lines
    .slice(0, at)
    .reverse()
    .find(line => /^(?:file:\/\/|\/).+:\d+$/.test(line));
  const loadFailure = /ERR_MODULE_NOT_FOUND|ERR_UNSUPPORTED|ERR_PACKAGE|ERR_REQUIRE|ERR_IMPORT|ERR_UNKNOWN/.test(
    message
  );
  const parseFailure = /^SyntaxError: /.test(message) && where !== undefined;
  if (!loadFailure && !parseFailure) return undefined;
  const file = where?.replace(/:\d+$/, '');
  return { text: where ? `${message} (${where})` : message, ...(file ? { file } : {}) };
}

function readJson<T>(path: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
