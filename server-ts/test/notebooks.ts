/** Small real notebooks for tests, written to real folders. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverRoot } from './paths.js';

export type CellSpec = [tags: string[], source: string] | { markdown: string };

export type Kernel = 'tslab' | 'javascript' | 'deno';

const KERNELSPECS: Record<Kernel, { name: string; display_name: string; language: string }> = {
  tslab: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
  javascript: { name: 'javascript', display_name: 'JavaScript (Node.js)', language: 'javascript' },
  deno: { name: 'deno', display_name: 'Deno', language: 'typescript' }
};

export function notebookJson(cells: CellSpec[], kernel: Kernel = 'tslab') {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: KERNELSPECS[kernel]
    },
    cells: cells.map((cell, i) =>
      Array.isArray(cell)
        ? {
            cell_type: 'code',
            id: `c${i}`,
            execution_count: null,
            metadata: { tags: cell[0] },
            outputs: [],
            source: cell[1]
          }
        : { cell_type: 'markdown', id: `c${i}`, metadata: {}, source: cell.markdown }
    )
  };
}

/**
 * A fresh workspace inside the repository (so notebooks resolve the repo's
 * node_modules, as a user's notebooks resolve theirs).
 */
export function makeWorkspace(prefix = 'ws-'): string {
  const root = join(serverRoot, '.test-work');
  mkdirSync(root, { recursive: true });
  return mkdtempSync(join(root, prefix));
}

export function writeNotebook(dir: string, name: string, cells: CellSpec[], kernel: Kernel = 'tslab'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(notebookJson(cells, kernel), null, 1) + '\n');
  return path;
}
