import { expect, test } from '@jupyterlab/galata';

const NOTEBOOK_NAME = 'pipeline.ipynb';

/** Three chained steps; the last reads a name nothing defines. */
const NOTEBOOK = {
  cells: [
    codeCell('load', ['step:load'], 'const data = [1, 2, 3];'),
    codeCell('train', ['step:train', 'prev:load'], 'const model = data.map(x => x * 2);'),
    codeCell('evaluate', ['step:evaluate', 'prev:train'], 'console.log(model.length, missing);')
  ],
  metadata: {
    kernelspec: {
      display_name: 'TypeScript',
      language: 'typescript',
      name: 'tslab'
    },
    language_info: { name: 'typescript' }
  },
  nbformat: 4,
  nbformat_minor: 5
};

function codeCell(id: string, tags: string[], source: string) {
  return {
    cell_type: 'code',
    execution_count: null,
    id,
    metadata: { tags },
    outputs: [],
    source
  };
}

test.describe('cellflow sidebar', () => {
  // Galata gives each test its own folder (tmpPath) and opens the file browser there.
  test.beforeEach(async ({ page, tmpPath }) => {
    await page.contents.uploadContent(JSON.stringify(NOTEBOOK, null, 1), 'text', `${tmpPath}/${NOTEBOOK_NAME}`);
    // No tslab kernel on the test server: open without one, the analysis
    // needs only the saved file.
    // open() checks for the tab before it appears, so wait for it here.
    await page.notebook.open(NOTEBOOK_NAME, { noKernel: true });
    await expect(page.activity.getTabLocator(NOTEBOOK_NAME)).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');
  });

  test('lists the steps of the open notebook with their data flow', async ({ page }) => {
    const sidebar = page.locator('#cellflow-sidebar');
    const steps = sidebar.locator('.jp-cellflow-Step');

    await expect(sidebar.locator('.jp-cellflow-StepName')).toHaveText(['load', 'train', 'evaluate']);
    await expect(steps.nth(0).locator('.jp-cellflow-StepOuts')).toHaveText('data');
    await expect(steps.nth(1).locator('.jp-cellflow-StepIns')).toContainText('data');
    await expect(steps.nth(1).locator('.jp-cellflow-StepIns')).toContainText('from load');
    await expect(steps.nth(1).locator('.jp-cellflow-StepDependencies')).toHaveText('load');
  });

  test('clicking a diagnostic selects its cell', async ({ page }) => {
    const diagnostic = page.locator('#cellflow-sidebar .jp-cellflow-Diagnostic').filter({ hasText: 'missing' });
    await expect(diagnostic).toContainText('Cell 3, line 1');

    await diagnostic.click();

    const activeCell = page.locator('.jp-NotebookPanel .jp-Cell.jp-mod-active');
    await expect(activeCell).toHaveCount(1);
    await expect(activeCell).toContainText('missing');
  });
});
