import { isDeepStrictEqual } from 'node:util';
import type { NotebookDocument } from './read.js';

/**
 * Serializes a notebook the way Jupyter does (indent, trailing newline, keys in
 * the order they were read). An unchanged notebook comes back as its original
 * text, byte-for-byte, whatever formatting quirks it had.
 */
export function serializeNotebook(doc: NotebookDocument): string {
  const original = safeParse(doc.originalText);
  if (original !== undefined && isDeepStrictEqual(original, doc.json)) return doc.originalText;
  return JSON.stringify(doc.json, null, doc.indent) + '\n';
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
