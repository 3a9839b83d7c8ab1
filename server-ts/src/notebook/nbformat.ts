/**
 * The parts of nbformat 4 that cellflow reads. Everything else in a notebook
 * is kept as opaque JSON so a round trip loses nothing.
 */
export type MultilineString = string | string[];

export interface NotebookCell {
  cell_type: 'code' | 'markdown' | 'raw' | string;
  id?: string;
  source: MultilineString;
  metadata: { tags?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: { name?: string; [key: string]: unknown };
    kubeflow_notebook?: Record<string, unknown>;
    cellflow?: Record<string, unknown>;
    [key: string]: unknown;
  };
  cells: NotebookCell[];
  [key: string]: unknown;
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
}

export function cellTags(cell: NotebookCell): string[] {
  const tags = cell.metadata?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}
