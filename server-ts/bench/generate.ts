/** Notebooks generated for benchmarks: sizes and shapes chosen to exercise one cost each. */
import type { NotebookJson, NotebookCell } from '../src/notebook/nbformat.js';

function code(source: string, tags: string[] = []): NotebookCell {
  return { cell_type: 'code', execution_count: null, metadata: { tags }, outputs: [], source };
}

function notebook(cells: NotebookCell[], kernel = 'tslab'): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: 'TypeScript', language: 'typescript' } },
    cells
  };
}

/** A realistic large notebook: imports, functions, parameters, then steps of four cells each, chained with branches. */
export function largeNotebook(cellCount: number): NotebookJson {
  const cells: NotebookCell[] = [
    code("import * as fs from 'node:fs';\nimport { join } from 'node:path';", ['imports']),
    code('function scale(values: number[], k: number): number[] {\n  return values.map(v => v * k);\n}', ['functions']),
    code('const factor = 3;\nconst label = "bench";', ['pipeline-parameters'])
  ];
  let step = 0;
  while (cells.length < cellCount) {
    const name = `s${step}`;
    const prev = step === 0 ? [] : [`prev:s${step - 1}`, ...(step > 2 ? [`prev:s${step - 3}`] : [])];
    const input = step === 0 ? '[1, 2, 3]' : `v${step - 1}`;
    cells.push(
      code(`const v${step}: number[] = scale(${input}, factor);\nlet total${step} = 0;`, [`step:${name}`, ...prev])
    );
    cells.push(
      code(`for (const x of v${step}) {\n  total${step} += x;\n}\nconst meta${step} = { label, total: total${step} };`)
    );
    cells.push(
      code(
        `const rows${step} = new Map<string, number>();\nrows${step}.set(label, total${step});\nif (v${step}.length > 3) v${step}.push(0);`
      )
    );
    cells.push(code(`const summary${step} = { ...meta${step}, n: rows${step}.size } as const;\nsummary${step};`));
    step++;
  }
  return notebook(cells.slice(0, cellCount));
}

/** A chain of `steps` steps, each doing about the same CPU work and handing a typed array on. */
export function chainNotebook(steps: number): NotebookJson {
  const cells: NotebookCell[] = [
    code(
      'function work(iterations: number, seed: number): number {\n  let x = seed;\n  for (let i = 0; i < iterations; i++) x = (x * 1103515245 + 12345) % 2147483648;\n  return x;\n}',
      ['functions']
    ),
    code('const work_iterations = 1000000;', ['pipeline-parameters'])
  ];
  for (let i = 0; i < steps; i++) {
    const tags = [`step:step_${i}`, ...(i > 0 ? [`prev:step_${i - 1}`] : [])];
    const seed = i === 0 ? '1' : `state${i - 1}`;
    const data = i === 0 ? 'new Float64Array(100000).fill(1)' : `data${i - 1}.map(v => v + 1)`;
    cells.push(code(`const state${i} = work(work_iterations, ${seed});\nconst data${i} = ${data};`, tags));
  }
  cells.push(
    code(`const chain_result = state${steps - 1} + data${steps - 1}[0];`, [`step:result`, `prev:step_${steps - 1}`])
  );
  cells.push(code('chain_result', ['pipeline-metrics']));
  return notebook(cells);
}
