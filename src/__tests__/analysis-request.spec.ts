import { cellsForAnalysis, RequestSequence } from '../analysis-request';

function cell(id: string, type: string, source: string, metadata: Record<string, unknown> = {}) {
  return { id, type, sharedModel: { getSource: () => source, getMetadata: () => metadata } };
}

describe('cellsForAnalysis', () => {
  it('sends sources and tags as nbformat cells without outputs, and keeps the ids in order', () => {
    const { cells, ids } = cellsForAnalysis([
      cell('a', 'markdown', '# Title'),
      cell('b', 'code', 'const x = 1;', { tags: ['step:one'] })
    ]);
    expect(ids).toEqual(['a', 'b']);
    expect(cells).toEqual([
      { id: 'a', cell_type: 'markdown', source: '# Title', metadata: {} },
      {
        id: 'b',
        cell_type: 'code',
        source: 'const x = 1;',
        metadata: { tags: ['step:one'] },
        outputs: [],
        execution_count: null
      }
    ]);
  });
});

describe('RequestSequence', () => {
  it('keeps only the answer to the latest request, whatever order answers arrive in', () => {
    const sequence = new RequestSequence();
    const first = sequence.next();
    const second = sequence.next();
    expect(sequence.isLatest(second)).toBe(true);
    expect(sequence.isLatest(first)).toBe(false);
  });

  it('makes every open request stale when invalidated', () => {
    const sequence = new RequestSequence();
    const open = sequence.next();
    sequence.invalidate();
    expect(sequence.isLatest(open)).toBe(false);
    expect(sequence.isLatest(sequence.next())).toBe(true);
  });
});
