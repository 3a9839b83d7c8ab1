import { STEP_PALETTE, stepColors, stepsInNotebookOrder } from '../step-colors';

describe('stepColors', () => {
  it('gives the first ten steps ten different colours', () => {
    const names = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const colors = stepColors(names);
    expect(new Set(colors.values()).size).toBe(10);
  });

  it('keeps a step its colour when steps are added after it', () => {
    const before = stepColors(['load', 'train']);
    const after = stepColors(['load', 'train', 'evaluate']);
    expect(after.get('load')).toBe(before.get('load'));
    expect(after.get('train')).toBe(before.get('train'));
  });

  it('places a step by its first use and cycles past the palette', () => {
    const names = ['a', 'b', 'a', ...Array.from({ length: STEP_PALETTE.length }, (_, i) => `n${i}`)];
    const colors = stepColors(names);
    expect(colors.get('b')).toBe(STEP_PALETTE[1]);
    expect(colors.get(`n${STEP_PALETTE.length - 2}`)).toBe(STEP_PALETTE[0]);
  });
});

describe('stepsInNotebookOrder', () => {
  it('orders steps by their first cell, not by run order', () => {
    expect(
      stepsInNotebookOrder([
        { name: 'late', cells: [9] },
        { name: 'early', cells: [2, 12] },
        { name: 'empty', cells: [] }
      ])
    ).toEqual(['early', 'late', 'empty']);
  });
});
