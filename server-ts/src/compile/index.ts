/**
 * From a notebook file to a compiled pipeline: read, analyze, refuse on
 * errors (printing where they are), compile. The CLI and the HTTP API share it.
 */
import { resolve } from 'node:path';
import { analyzeNotebook, type Analysis } from '../analyze/index.js';
import { LearntWrites } from '../engine/local/learnt-writes.js';
import type { NotebookJson } from '../notebook/nbformat.js';
import { dirname } from 'node:path';
import { codeError, runError } from '../diagnostics/codes.js';
import { CellflowError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readNotebookFile } from '../notebook/file.js';
import { checkRunnable } from '../preflight/index.js';
import { compileLocal, type CompiledLocal } from './local/emit.js';
import { isStackOverflow } from '../analyze/source.js';

/** Errors that stop a command, each shown, under one summary (what to do about them all). */
export class NotebookHasErrors extends CellflowError {
  constructor(
    readonly diagnostics: Diagnostic[],
    summary: Diagnostic = runError.notebookHasErrors(diagnostics.length)
  ) {
    super(summary);
  }
}

export interface CompiledNotebook {
  notebookPath: string;
  analysis: Analysis;
  local: CompiledLocal;
}

/**
 * Compiling for the embedded engine also checks that every import resolves from the notebook's folder
 * (`preflight/`): the step programs are for this machine, so a missing package stops here, before any step.
 */
export async function compileNotebookFile(path: string): Promise<CompiledNotebook> {
  const notebookPath = resolve(path);
  const doc = await readNotebookFile(notebookPath);
  return compileNotebook(doc.json, notebookPath);
}

/** The same for a notebook already read (the HTTP API's unsaved cells); `notebookPath` says where it lives. */
export function compileNotebook(notebook: NotebookJson, notebookPath: string): CompiledNotebook {
  const analysis = analyzeNotebookWithLearnt(notebook, notebookPath);
  const errors = [...analysis.ir.diagnostics, ...checkRunnable(analysis, notebookPath)].filter(
    d => d.severity === 'error'
  );
  if (errors.length > 0) throw new NotebookHasErrors(errors);
  try {
    return { notebookPath, analysis, local: compileLocal(analysis, notebookPath) };
  } catch (error) {
    // The analysis limits keep cells shallow enough for the compiler; should one still not be, say so.
    if (isStackOverflow(error))
      throw new CellflowError(codeError.tooDeep({ cellIndex: null }, 'a cell nests too deeply to compile'));
    throw error;
  }
}

/** Analysis with what earlier runs of this notebook taught (writes the source does not show). */
export function analyzeNotebookWithLearnt(notebook: NotebookJson, notebookPath: string): Analysis {
  const first = analyzeNotebook(notebook);
  const learnt = LearntWrites.read(dirname(notebookPath), notebookPath, first.sourceHashes);
  return learnt.size === 0 ? first : analyzeNotebook(notebook, { learnt });
}
