import { notebookError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { NotebookJson } from './nbformat.js';

/** A parsed notebook plus the text it came from, so an unchanged notebook is written back byte-for-byte. */
export interface NotebookDocument {
  json: NotebookJson;
  originalText: string;
  /** Indentation of the original file (Jupyter writes 1 space). */
  indent: number;
}

export function parseNotebook(text: string): NotebookDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CellflowError(notebookError.malformedJson((error as Error).message));
  }
  if (!isObject(json)) throw new CellflowError(notebookError.notANotebook('the top level is not a JSON object'));
  const major = json.nbformat;
  if (typeof major !== 'number') throw new CellflowError(notebookError.notANotebook('it has no "nbformat" version'));
  if (major !== 4) throw new CellflowError(notebookError.unsupportedNbformat(major));
  if (!Array.isArray(json.cells)) throw new CellflowError(notebookError.notANotebook('it has no "cells" list'));
  json.cells.forEach((cell, index) => {
    if (!isObject(cell) || typeof cell.cell_type !== 'string') {
      throw new CellflowError(notebookError.malformedCell(index, 'it is not an object with a "cell_type"'));
    }
    if (!(
      typeof cell.source === 'string' ||
      (Array.isArray(cell.source) && cell.source.every(s => typeof s === 'string'))
    )) {
      throw new CellflowError(notebookError.malformedCell(index, '"source" is neither a string nor a list of strings'));
    }
    if (cell.metadata === undefined) cell.metadata = {};
    if (!isObject(cell.metadata))
      throw new CellflowError(notebookError.malformedCell(index, '"metadata" is not an object'));
    const tags = (cell.metadata as Record<string, unknown>).tags;
    if (tags !== undefined && !(Array.isArray(tags) && tags.every(t => typeof t === 'string'))) {
      throw new CellflowError(notebookError.malformedCell(index, '"metadata.tags" is not a list of strings'));
    }
  });
  if (!isObject(json.metadata)) json.metadata = {};
  return { json: json as unknown as NotebookJson, originalText: text, indent: detectIndent(text) };
}

function detectIndent(text: string): number {
  const match = /^\{\r?\n( +)"/.exec(text);
  return match ? match[1].length : 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
