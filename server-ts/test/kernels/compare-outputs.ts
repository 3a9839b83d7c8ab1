/**
 * What a notebook showed in a real kernel, and what its pipeline run showed, in one comparable form.
 *
 * What is compared, display by display in order (cell, MIME type, contents):
 * - the pipeline writes each display's richest MIME type; that type must be one the kernel's bundle has, and
 *   its contents must equal the kernel's: bytes for base64 types (PNG, JPEG, GIF, PDF), the text for HTML,
 *   Markdown, SVG, LaTeX, JSON;
 * - text/plain exactly where the kernel's text is plain (tslab's `display.text`), and, with the kernel's ANSI
 *   colours taken out, where it is a number; other text/plain (inspected objects and strings) differs in form
 *   between the kernels' inspectors (Deno.inspect, colours, double quotes) and util.inspect, so there only the
 *   MIME type is compared.
 * A display the kernel updated in place (update_display_data with its display id) is compared as it ended.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunStore } from '../../src/engine/local/run-store.js';
import type { RunRecord } from '../../src/engine/types.js';
import type { KernelCell } from './real-kernel.js';

/** One display: the cell that made it, its MIME type, and its contents in a form both sides share. */
export interface ShownDisplay {
  cellIndex: number | null;
  mimeType: string;
  contents: string;
}

const BASE64_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'application/pdf']);
// eslint-disable-next-line no-control-regex
const ANSI_COLOUR = /\u001b\[[0-9;]*m/g;
const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/;

/** The pipeline run's displays: the files the run wrote, as base64 for binary types and text otherwise. */
function pipelineDisplays(record: RunRecord, notebookDir: string): ShownDisplay[] {
  const runDir = new RunStore(notebookDir).runDir(record.id);
  return record.displays.map(d => {
    const bytes = readFileSync(join(runDir, d.path));
    const contents = BASE64_TYPES.has(d.mimeType) ? bytes.toString('base64') : bytes.toString('utf8');
    return { cellIndex: d.cellIndex, mimeType: d.mimeType, contents };
  });
}

/** The kernel's bundles, in order, each display id's as it was last updated, without the cells left out. */
export function kernelBundles(
  cells: KernelCell[],
  leaveOut: ReadonlySet<number>
): { cellIndex: number; bundle: Record<string, unknown> }[] {
  const shown: { cellIndex: number; bundle: Record<string, unknown> }[] = [];
  const byId = new Map<string, number>();
  for (const cell of cells) {
    if (leaveOut.has(cell.index)) continue;
    for (const output of cell.outputs) {
      const known = output.displayId === null ? undefined : byId.get(output.displayId);
      if (output.type === 'update_display_data') {
        if (known !== undefined) shown[known]!.bundle = output.data;
        continue;
      }
      if (output.displayId !== null) byId.set(output.displayId, shown.length);
      shown.push({ cellIndex: cell.index, bundle: output.data });
    }
  }
  return shown;
}

/**
 * Both sides' displays as compared: the kernel's bundles at the MIME type the pipeline chose for the display
 * at the same place (a type the kernel did not send shows as missing), contents normalised on both sides.
 */
export function displaysToCompare(
  record: RunRecord,
  notebookDir: string,
  cells: KernelCell[],
  leaveOut: ReadonlySet<number>
): { pipeline: ShownDisplay[]; kernel: ShownDisplay[] } {
  const pipeline = pipelineDisplays(record, notebookDir);
  const kernel = kernelBundles(cells, leaveOut).map(({ cellIndex, bundle }, i) => {
    const chosen = pipeline[i]?.mimeType;
    const mimeType = chosen !== undefined && chosen in bundle ? chosen : `(none of ${Object.keys(bundle).join(', ')})`;
    const data = bundle[mimeType];
    const text = typeof data === 'string' ? data : JSON.stringify(data, null, 2) + '\n';
    return { cellIndex, mimeType, contents: normalised(mimeType, text) };
  });
  // An inspected value's text is not compared (see above): the pipeline's is set aside the same way.
  const comparable = pipeline.map((d, i) =>
    kernel[i]?.contents === NOT_COMPARED ? { ...d, contents: NOT_COMPARED } : d
  );
  return { pipeline: comparable, kernel };
}

const NOT_COMPARED = '(inspected value, not compared)';

/** Contents as compared: see the file comment for text/plain. */
function normalised(mimeType: string, contents: string): string {
  if (mimeType !== 'text/plain') return contents;
  const uncoloured = contents.replace(ANSI_COLOUR, '');
  if (uncoloured !== contents) return NUMBER.test(uncoloured) ? uncoloured : NOT_COMPARED;
  return contents;
}

/** The kernel's text of a cell's result (a metrics cell's value), colours out. */
export function resultText(cell: KernelCell | undefined): string | undefined {
  const result = cell?.outputs.find(o => o.type === 'execute_result')?.data['text/plain'];
  return typeof result === 'string' ? result.replace(ANSI_COLOUR, '') : undefined;
}
