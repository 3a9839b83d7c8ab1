/**
 * What a step displays, as the kernel would show it, becomes files of the run: each display's richest
 * representation is written into the step's artifacts folder with its MIME type's extension, and listed with
 * the cell that made it in `displays.json` beside that folder, which the engine reads into the run record.
 * A display updated in place (tslab's `newDisplay()`, a display id) rewrites its file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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

const BASE64_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'application/pdf']);

export class DisplayRecorder {
  private cellIndex: number | null = null;
  private count = 0;
  private readonly shown: DisplayedFile[] = [];
  /** Display ids (updatable displays) and the file each writes. */
  private readonly byId = new Map<string, number>();

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
    const index = known ?? this.shown.length;
    const file =
      known !== undefined
        ? this.shown[known]!.file
        : `${this.cellIndex === null ? 'display' : `cell-${this.cellIndex + 1}`}-${++this.count}.${extension}`;
    mkdirSync(this.artifactsDir, { recursive: true });
    writeFileSync(join(this.artifactsDir, file), contents(mimeType, bundle[mimeType]));
    this.shown[index] = {
      file,
      mimeType,
      cellIndex: known !== undefined ? this.shown[known]!.cellIndex : this.cellIndex
    };
    if (displayId !== undefined) this.byId.set(displayId, index);
    writeFileSync(join(dirname(this.artifactsDir), 'displays.json'), JSON.stringify(this.shown, null, 2) + '\n');
  }

  /** A cell's result, as the kernel shows the value of its last expression: nothing for undefined. */
  showResult(value: unknown): void {
    if (value === undefined) return;
    this.show(bundleOf(value));
  }
}

/** The kernel protocol for rich values (Deno's `Symbol.for('Jupyter.display')`), else the inspected value. */
export function bundleOf(value: unknown): MimeBundle {
  const rich = (value as { [key: symbol]: unknown } | null | undefined)?.[Symbol.for('Jupyter.display')];
  if (typeof rich === 'function') {
    const bundle = rich.call(value) as unknown;
    if (bundle && typeof bundle === 'object') return bundle as MimeBundle;
  }
  return { 'text/plain': typeof value === 'string' ? `'${value}'` : inspect(value) };
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
