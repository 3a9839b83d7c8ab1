import { notebookError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { NotebookJson } from './nbformat.js';
import { upgradeV3 } from './upgrade-v3.js';

/** A parsed notebook plus the text it came from, so an unchanged notebook is written back byte-for-byte. */
export interface NotebookDocument {
  json: NotebookJson;
  originalText: string;
  /** Indentation of the original file (Jupyter writes 1 space). */
  indent: number;
  /** The nbformat major version the file has, when it was older and upgraded in memory: never written back silently. */
  upgradedFrom?: number;
}

export function parseNotebook(text: string): NotebookDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CellflowError(notebookError.malformedJson((error as Error).message));
  }
  if (!isObject(parsed)) throw new CellflowError(notebookError.notANotebook('the top level is not a JSON object'));
  const major = parsed.nbformat;
  if (typeof major !== 'number') throw new CellflowError(notebookError.notANotebook('it has no "nbformat" version'));
  if (major !== 3 && major !== 4) throw new CellflowError(notebookError.unsupportedNbformat(major));
  if (major === 3 && !Array.isArray(parsed.worksheets))
    throw new CellflowError(notebookError.notANotebook('it is nbformat 3 but has no "worksheets" list'));
  const json = major === 3 ? upgradeV3(parsed) : parsed;
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
  const doc: NotebookDocument = {
    json: json as unknown as NotebookJson,
    originalText: text,
    indent: detectIndent(text)
  };
  if (major !== 4) doc.upgradedFrom = major;
  return doc;
}

function detectIndent(text: string): number {
  const match = /^\{\r?\n( +)"/.exec(text);
  return match ? match[1].length : 1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
