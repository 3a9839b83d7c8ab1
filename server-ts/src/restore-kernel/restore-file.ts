/**
 * `.cellflow-restore/restore.json`, the record `cellflow restore` writes into a restored folder (contract §3 of
 * issue 9): which run and step, the prelude cells, the values saved in `state/`, the cells to replay and what
 * could not be restored. Read and checked here, so the code generator gets only well-formed records.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { restoreKernelError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';

export const RESTORE_DIR = '.cellflow-restore';
export const RESTORE_FILE = 'restore.json';

export interface RestoreRecord {
  version: 1;
  runId: string;
  experimentId?: string;
  /** The trial's index in its experiment. */
  trial?: number;
  step: string;
  /** The restored notebook's file name, in the restored folder (an absolute path is read too). */
  notebook: string;
  runtime: 'node' | 'deno';
  /** Cells run first (indices in the restored notebook): imports, functions and the parameters cell. */
  prelude: number[];
  /** The names saved in `state/`. */
  values: string[];
  replay: { cells: number[]; names: string[] };
  notRestored: { name: string; reason: string }[];
}

/** Reads and checks `<folder>/.cellflow-restore/restore.json`; a coded error names what is wrong. */
export function readRestoreRecord(folder: string): RestoreRecord {
  const file = join(folder, RESTORE_DIR, RESTORE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(file, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(file, `it is not JSON (${(error as Error).message})`);
  }
  return checkRestoreRecord(parsed, file);
}

/** The record's shape checked field by field (a hand-edited or damaged record is refused, not half-used). */
export function checkRestoreRecord(value: unknown, file: string): RestoreRecord {
  const record = value as Partial<RestoreRecord> | null;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw invalid(file, 'not an object');
  if (record.version !== 1) throw invalid(file, `version ${JSON.stringify(record.version)} is not 1`);
  for (const key of ['runId', 'step', 'notebook'] as const) {
    if (typeof record[key] !== 'string' || record[key] === '') throw invalid(file, `\`${key}\` is not a string`);
  }
  if (record.runtime !== 'node' && record.runtime !== 'deno') throw invalid(file, '`runtime` is not node or deno');
  const cells = (list: unknown, key: string): number[] => {
    if (!Array.isArray(list) || !list.every(i => Number.isInteger(i) && i >= 0)) {
      throw invalid(file, `\`${key}\` is not a list of cell indices`);
    }
    return list as number[];
  };
  const strings = (list: unknown, key: string): string[] => {
    if (!Array.isArray(list) || !list.every(s => typeof s === 'string')) {
      throw invalid(file, `\`${key}\` is not a list of names`);
    }
    return list as string[];
  };
  cells(record.prelude, 'prelude');
  strings(record.values, 'values');
  if (typeof record.replay !== 'object' || record.replay === null) throw invalid(file, '`replay` is missing');
  cells(record.replay.cells, 'replay.cells');
  strings(record.replay.names, 'replay.names');
  const notRestored = record.notRestored ?? [];
  if (
    !Array.isArray(notRestored) ||
    !notRestored.every(n => typeof n?.name === 'string' && typeof n?.reason === 'string')
  ) {
    throw invalid(file, '`notRestored` is not a list of { name, reason }');
  }
  return { ...(record as RestoreRecord), notRestored };
}

function invalid(file: string, why: string): CellflowError {
  return new CellflowError(restoreKernelError.restoreFileInvalid(file, why));
}
