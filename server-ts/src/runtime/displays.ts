/**
 * What a step displays, as the kernel would show it, becomes files of the run: each display's richest
 * representation is written into the step's artifacts folder with its MIME type's extension, and listed with
 * the cell that made it in `displays.jsonl` beside that folder (one line per display, appended: no display
 * rewrites the others), which the engine reads into the run record.
 * A display updated in place (tslab's `newDisplay()`, a display id) rewrites its file.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { ARTIFACTS_DIR_ENV } from './step-context.js';

/** A MIME bundle as Jupyter's display_data carries it: binary types base64-encoded, JSON types as values. */
export type MimeBundle = Record<string, unknown>;

export interface DisplayedFile {
  /** The file, relative to the artifacts folder. */
  file: string;
  mimeType: string;
  /** The notebook cell that displayed it (null: before the first cell). */
  cellIndex: number | null;
}

/** Richest first, as JupyterLab picks what to render. */
const PREFERENCE: readonly [mime: string, extension: string][] = [
  ['application/vnd.vegalite.v5+json', 'vl.json'],
  ['application/vnd.vegalite.v4+json', 'vl.json'],
  ['application/vnd.vega.v5+json', 'vg.json'],
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/gif', 'gif'],
  ['image/svg+xml', 'svg'],
  ['application/pdf', 'pdf'],
  ['text/html', 'html'],
  ['text/markdown', 'md'],
  ['text/latex', 'tex'],
  ['application/javascript', 'js'],
  ['application/json', 'json'],
  ['text/plain', 'txt']
];

/** Characters of a string shown in a cell result (util.inspect says how many more there were). */
const RESULT_STRING_LIMIT = 100_000;

const BASE64_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'application/pdf']);

export class DisplayRecorder {
  private cellIndex: number | null = null;
  private count = 0;
  /** Display ids (updatable displays) and what each shows. */
  private readonly byId = new Map<string, DisplayedFile>();

  constructor(private readonly artifactsDir: string | undefined) {}

  enterCell(cellIndex: number): void {
    this.cellIndex = cellIndex;
  }

  /** Shows a bundle; with a display id, a later show of the same id replaces it. */
  show(bundle: MimeBundle, displayId?: string): void {
    if (!this.artifactsDir) return;
    const chosen = PREFERENCE.find(([mime]) => bundle[mime] !== undefined) ?? firstOther(bundle);
    if (!chosen) return;
    const [mimeType, extension] = chosen;
    const known = displayId === undefined ? undefined : this.byId.get(displayId);
    const file =
      known?.file ??
      `${this.cellIndex === null ? 'display' : `cell-${this.cellIndex + 1}`}-${++this.count}.${extension}`;
    mkdirSync(this.artifactsDir, { recursive: true });
    writeFileSync(join(this.artifactsDir, file), contents(mimeType, bundle[mimeType]));
    const shown: DisplayedFile = { file, mimeType, cellIndex: known ? known.cellIndex : this.cellIndex };
    if (displayId !== undefined) this.byId.set(displayId, shown);
    appendFileSync(displayIndexOf(this.artifactsDir), JSON.stringify(shown) + '\n');
  }

  /** A cell's result, as the kernel shows the value of its last expression: nothing for undefined. */
  showResult(value: unknown): void {
    if (value === undefined) return;
    this.show(bundleOf(value));
  }
}

/** The display index beside an artifacts folder. */
export function displayIndexOf(artifactsDir: string): string {
  return join(dirname(artifactsDir), 'displays.jsonl');
}

/**
 * The displays an index lists, in the order they were first shown; an updated display keeps its place and
 * cell, with its latest MIME type. Unreadable lines (a step killed mid-write) are skipped.
 */
export function readDisplayIndex(path: string): DisplayedFile[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const byFile = new Map<string, DisplayedFile>();
  for (const line of text.split('\n')) {
    let shown: Partial<DisplayedFile>;
    try {
      shown = JSON.parse(line) as Partial<DisplayedFile>;
    } catch {
      continue;
    }
    if (typeof shown?.file !== 'string' || shown.file.includes('..') || typeof shown.mimeType !== 'string') continue;
    const first = byFile.get(shown.file);
    byFile.set(shown.file, {
      file: shown.file,
      mimeType: shown.mimeType,
      cellIndex: first ? first.cellIndex : (shown.cellIndex ?? null)
    });
  }
  return [...byFile.values()];
}

/** The kernel protocol for rich values (Deno's `Symbol.for('Jupyter.display')`), else the inspected value. */
export function bundleOf(value: unknown): MimeBundle {
  const rich = (value as { [key: symbol]: unknown } | null | undefined)?.[Symbol.for('Jupyter.display')];
  if (typeof rich === 'function') {
    const bundle = rich.call(value) as unknown;
    if (bundle && typeof bundle === 'object') return bundle as MimeBundle;
  }
  // As Node's REPL shows a result (strings quoted), with very long strings cut: a result is a glance, not a file.
  return { 'text/plain': inspect(value, { maxStringLength: RESULT_STRING_LIMIT }) };
}

function firstOther(bundle: MimeBundle): [string, string] | undefined {
  const mime = Object.keys(bundle).find(m => bundle[m] !== undefined);
  return mime === undefined ? undefined : [mime, mime.endsWith('json') ? 'json' : 'txt'];
}

function contents(mimeType: string, data: unknown): string | Buffer {
  if (BASE64_TYPES.has(mimeType)) {
    if (data instanceof Uint8Array) return Buffer.from(data);
    return Buffer.from(String(data), 'base64');
  }
  if (typeof data === 'string') return data;
  if (mimeType.endsWith('json')) return JSON.stringify(data, null, 2) + '\n';
  return String(data);
}

/** The step's recorder: files go to the folder the engine (or the straight run) gives. */
export const displays = new DisplayRecorder(process.env[ARTIFACTS_DIR_ENV] || undefined);
