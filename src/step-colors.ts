/**
 * One colour per step, the same on the cells, in the sidebar and in the run
 * view's DAG. Steps take the palette's colours in notebook order (the order
 * their first cells appear), so a step keeps its colour while others are
 * edited below it, and no two of the first ten steps share one.
 */

/**
 * Tableau 10 (also d3's `schemeTableau10`): distinct for the usual colour
 * vision deficiencies and readable as borders on light and dark themes.
 */
export const STEP_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2c',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc949',
  '#af7aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ab'
];

/** Cells that are not a step's (imports, functions, parameters, metrics, skip) share this theme colour. */
export const NON_STEP_COLOR = 'var(--jp-border-color1)';

/**
 * The colour of each step, given the step names in notebook order (duplicates
 * ignored: the first use of a name places it).
 */
export function stepColors(stepNamesInNotebookOrder: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const name of stepNamesInNotebookOrder) {
    if (!colors.has(name)) {
      colors.set(name, STEP_PALETTE[colors.size % STEP_PALETTE.length]);
    }
  }
  return colors;
}

/** The steps of an analysis in notebook order: by their first cell. */
export function stepsInNotebookOrder(steps: readonly { name: string; cells: readonly number[] }[]): string[] {
  return [...steps]
    .sort((a, b) => (a.cells[0] ?? Number.MAX_SAFE_INTEGER) - (b.cells[0] ?? Number.MAX_SAFE_INTEGER))
    .map(step => step.name);
}
