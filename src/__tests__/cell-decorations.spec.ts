import { changedDecorations, decorateCells, IDecoratedCell } from '../cell-decorations';
import type { Diagnostic, PipelineIR, Step } from '../ir';
import { NON_STEP_COLOR, STEP_PALETTE } from '../step-colors';

function step(name: string, cells: number[], changes: Partial<Step> = {}): Step {
  return {
    name,
    cells,
    dependencies: [],
    ins: [],
    outs: [],
    parameters: [],
    settings: { limits: {}, annotations: {}, labels: {} },
    ...changes
  };
}

function ir(changes: Partial<PipelineIR>): PipelineIR {
  return {
    version: 1,
    language: 'typescript',
    kernel: 'tslab',
    settings: {},
    prelude: [],
    parameters: [],
    steps: [],
    metrics: [],
    diagnostics: [],
    ...changes
  };
}

function diagnostic(cellIndex: number, line: number, message: string): Diagnostic {
  return { code: 'undefined-name', severity: 'error', message, hint: 'Define it.', cellIndex, line, column: 0 };
}

// md, imports, params, load, load (continued), train, skip, metrics
const CELLS: IDecoratedCell[] = [
  { id: 'm', type: 'markdown', tags: [] },
  { id: 'i', type: 'code', tags: ['imports'] },
  { id: 'p', type: 'code', tags: ['pipeline-parameters'] },
  { id: 'l1', type: 'code', tags: ['step:load'] },
  { id: 'l2', type: 'code', tags: [] },
  { id: 't', type: 'code', tags: ['step:train', 'prev:load'] },
  { id: 's', type: 'code', tags: ['skip'] },
  { id: 'x', type: 'code', tags: ['pipeline-metrics'] }
];
const IDS = CELLS.map(cell => cell.id);

const ANALYSIS = ir({
  prelude: [{ cellIndex: 1, kind: 'imports', defines: ['fs'] }],
  parameters: [{ name: 'epochs', type: 'number', default: 3, cellIndex: 2, line: 1 }],
  // Run order differs from notebook order: colours follow the notebook.
  steps: [
    step('load', [3, 4], { outs: ['data'] }),
    step('train', [5], { dependencies: ['load'], ins: [{ name: 'data', from: 'load' }], outs: ['acc'] })
  ],
  metrics: [{ name: 'acc', step: 'train', cellIndex: 7, line: 1 }],
  diagnostics: [diagnostic(5, 2, '`lr` is not defined.')]
});

describe('decorateCells', () => {
  const decorations = decorateCells(CELLS, { ir: ANALYSIS, cellIds: IDS });

  it('gives every code cell its kind or step, and markdown cells nothing', () => {
    expect([...decorations.keys()]).toEqual(['i', 'p', 'l1', 'l2', 't', 's', 'x']);
    expect([...decorations.values()].map(d => d.label)).toEqual([
      'imports',
      'parameters',
      'load',
      'load',
      'train',
      'skip',
      'metrics'
    ]);
  });

  it("colours each step's cells with its palette colour, other kinds with the neutral one", () => {
    expect(decorations.get('l1')?.color).toBe(STEP_PALETTE[0]);
    expect(decorations.get('l2')?.color).toBe(STEP_PALETTE[0]);
    expect(decorations.get('t')?.color).toBe(STEP_PALETTE[1]);
    expect(decorations.get('i')?.color).toBe(NON_STEP_COLOR);
  });

  it("puts a step's data flow on its first cell only", () => {
    expect(decorations.get('t')).toMatchObject({ first: true, ins: [{ name: 'data', from: 'load' }], outs: ['acc'] });
    expect(decorations.get('l1')).toMatchObject({ first: true, outs: ['data'] });
    expect(decorations.get('l2')).toMatchObject({ first: false, ins: [], outs: [] });
  });

  it('puts each diagnostic on the cell it is about', () => {
    expect(decorations.get('t')?.diagnostics.map(d => d.line)).toEqual([2]);
    expect(decorations.get('l1')?.diagnostics).toEqual([]);
  });

  it('maps the analysis through the ids it was asked with, so a cell added since keeps no stale decoration', () => {
    const inserted: IDecoratedCell[] = [...CELLS.slice(0, 3), { id: 'new', type: 'code', tags: [] }, ...CELLS.slice(3)];
    const shifted = decorateCells(inserted, { ir: ANALYSIS, cellIds: IDS });
    expect(shifted.get('new')).toBeUndefined();
    expect(shifted.get('t')?.diagnostics.map(d => d.message)).toEqual(['`lr` is not defined.']);
    expect(shifted.get('l1')?.label).toBe('load');
  });

  it("falls back to a cell's own tags before any analysis", () => {
    const own = decorateCells(CELLS, null);
    expect(own.get('l1')?.label).toBe('load');
    expect(own.get('l2')).toBeUndefined();
    expect(own.get('s')?.kind).toBe('skip');
  });

  it('shows a diagnostic on a cell the analysis put in no block', () => {
    const leading = decorateCells([{ id: 'a', type: 'code', tags: [] }], {
      ir: ir({ diagnostics: [diagnostic(0, 1, 'untagged')] }),
      cellIds: ['a']
    });
    expect(leading.get('a')?.diagnostics.map(d => d.message)).toEqual(['untagged']);
  });
});

describe('changedDecorations', () => {
  const before = decorateCells(CELLS, { ir: ANALYSIS, cellIds: IDS });

  it('is empty when a new analysis shows the same', () => {
    const again = decorateCells(CELLS, { ir: JSON.parse(JSON.stringify(ANALYSIS)), cellIds: [...IDS] });
    expect(changedDecorations(before, again)).toEqual([]);
  });

  it('names only the cells whose decoration changed', () => {
    const fixed = decorateCells(CELLS, { ir: { ...ANALYSIS, diagnostics: [] }, cellIds: IDS });
    expect(changedDecorations(before, fixed)).toEqual(['t']);
  });

  it('names cells whose decoration went away', () => {
    const without = decorateCells(CELLS.slice(0, 6), { ir: ANALYSIS, cellIds: IDS });
    expect(changedDecorations(before, without).sort()).toEqual(['s', 'x']);
  });

  it('touches one cell of a 200-cell notebook when one cell gets a problem', () => {
    const cells: IDecoratedCell[] = Array.from({ length: 200 }, (_, i) => ({
      id: `c${i}`,
      type: 'code',
      tags: [`step:s${i}`]
    }));
    const ids = cells.map(c => c.id);
    const steps = cells.map((_, i) => step(`s${i}`, [i]));
    const clean = decorateCells(cells, { ir: ir({ steps }), cellIds: ids });
    const broken = decorateCells(cells, { ir: ir({ steps, diagnostics: [diagnostic(120, 1, 'x')] }), cellIds: ids });
    expect(changedDecorations(clean, broken)).toEqual(['c120']);
  });
});
