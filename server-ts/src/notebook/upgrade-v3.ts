/**
 * nbformat 3 → 4, in memory, as Jupyter's `nbformat.v4.upgrade` does (nbformat/v4/convert.py):
 * worksheets flattened into `cells`, `input` → `source`, `prompt_number` → `execution_count`,
 * heading cells → markdown with `#`s, outputs to their v4 shapes. Hand-written: there is no
 * maintained JavaScript port of nbformat's converter, and the mapping is small and fixed.
 *
 * Two choices differ from Jupyter's: cells get no random ids (minor version 4, which has none), so
 * reading the same file twice gives the same document; and the code cells' `language`, which
 * nbformat drops, becomes `metadata.language_info.name` when the notebook names no kernel, since
 * nbformat 3 had no kernelspec and that is where the language was.
 */
type Json = Record<string, unknown>;

/** `mime` keys of v3 outputs, as nbformat's `_mime_map`. */
const MIME_KEYS = new Map([
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript']
]);

/** Returns a new nbformat 4 notebook; `notebook` is left as it was. */
export function upgradeV3(notebook: Json): Json {
  const { worksheets, orig_nbformat, orig_nbformat_minor, ...rest } = notebook;
  const metadata: Json = { ...asObject(rest.metadata) };
  delete metadata.name;
  delete metadata.signature;
  metadata.orig_nbformat = orig_nbformat ?? 3;
  metadata.orig_nbformat_minor = orig_nbformat_minor ?? 0;

  const v3Cells = (Array.isArray(worksheets) ? worksheets : []).flatMap(ws =>
    Array.isArray(asObject(ws).cells) ? (asObject(ws).cells as unknown[]) : []
  );
  const language = cellLanguage(v3Cells) ?? (typeof metadata.language === 'string' ? metadata.language : undefined);
  if (language && metadata.kernelspec === undefined && metadata.language_info === undefined)
    metadata.language_info = { name: language };

  return { ...rest, metadata, nbformat: 4, nbformat_minor: 4, cells: v3Cells.map(upgradeCell) };
}

/** The one language all code cells name, if they name one. */
function cellLanguage(cells: unknown[]): string | undefined {
  const named = new Set(
    cells
      .map(asObject)
      .filter(c => c.cell_type === 'code' && typeof c.language === 'string')
      .map(c => c.language as string)
  );
  return named.size === 1 ? [...named][0] : undefined;
}

function upgradeCell(value: unknown): unknown {
  // Not an object: left for the reader's checks to report with the cell's number.
  if (!isObject(value)) return value;
  const cell: Json = { ...value, metadata: value.metadata ?? {} };
  switch (cell.cell_type) {
    case 'code': {
      const { collapsed, input, prompt_number, outputs, ...code } = cell;
      delete code.language; // nbformat 4 has no per-cell language
      const metadata =
        isObject(code.metadata) && collapsed !== undefined ? { ...code.metadata, collapsed } : code.metadata;
      return {
        ...code,
        metadata,
        source: input ?? '',
        execution_count: prompt_number ?? null,
        outputs: Array.isArray(outputs) ? outputs.map(upgradeOutput) : []
      };
    }
    case 'heading': {
      const { level, source, ...heading } = cell;
      const text = Array.isArray(source) ? source.join('') : typeof source === 'string' ? source : '';
      const hashes = '#'.repeat(typeof level === 'number' ? level : 1);
      return { ...heading, cell_type: 'markdown', source: `${hashes} ${text.split(/\r\n|\r|\n/).join(' ')}` };
    }
    case 'html':
      return { ...cell, cell_type: 'markdown' };
    default:
      return cell;
  }
}

function upgradeOutput(value: unknown): unknown {
  if (!isObject(value)) return value;
  switch (value.output_type) {
    case 'pyout':
    case 'display_data': {
      const { output_type, prompt_number, metadata, ...mimes } = value;
      const data = Object.fromEntries(Object.entries(mimes).map(([key, v]) => [MIME_KEYS.get(key) ?? key, v]));
      const json = data['application/json'];
      if (typeof json === 'string') data['application/json'] = parseOr(json);
      const shaped: Json = { output_type, metadata: metadata ?? {}, data };
      if (output_type === 'pyout') {
        shaped.output_type = 'execute_result';
        shaped.execution_count = prompt_number ?? null;
      }
      return shaped;
    }
    case 'pyerr':
      return { ...value, output_type: 'error' };
    case 'stream': {
      const { stream, ...rest } = value;
      return { ...rest, name: stream ?? 'stdout' };
    }
    default:
      return value;
  }
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function asObject(value: unknown): Json {
  return isObject(value) ? value : {};
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
