import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';

const REPO = join(__dirname, '..', '..');
const XOR = readFileSync(join(REPO, 'examples', 'xor.ipynb'), 'utf8');
const VERSION: string = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version;

test.describe('cellflow in JupyterLab', () => {
  test('loads without console errors and the backend answers its version', async ({ page, baseURL }) => {
    const errors: string[] = [];
    page.on('console', message => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    page.on('pageerror', error => errors.push(String(error)));
    await page.goto();
    await expect(page.locator('.jp-SideBar [data-id="cellflow-sidebar"]')).toBeVisible();

    const health = await page.evaluate(async url => {
      const reply = await fetch(url);
      return { status: reply.status, body: await reply.json() };
    }, `${baseURL}/cellflow/api/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ name: 'cellflow', version: VERSION });

    expect(errors.filter(text => /cellflow/i.test(text) || /Error/.test(text))).toEqual([]);
  });

  test('the sidebar lists the steps of examples/xor.ipynb', async ({ page, tmpPath }) => {
    await page.contents.uploadContent(XOR, 'text', `${tmpPath}/xor.ipynb`);
    await page.notebook.open('xor.ipynb');
    await expect(page.activity.getTabLocator('xor.ipynb')).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');

    const stepNames = page.locator('#cellflow-sidebar .jp-cellflow-StepName');
    // The sidebar lists steps in run order; compare the sets.
    await expect(stepNames).toHaveCount(expectedSteps().length);
    expect((await stepNames.allTextContents()).sort()).toEqual(expectedSteps().sort());
    await page.screenshot({ path: 'test-results/xor-sidebar.png' });
  });

  test('one sidebar: Pipeline, Run, History, Tuning and Storage sections of examples/xor.ipynb, each collapsible', async ({
    page,
    tmpPath,
    baseURL
  }) => {
    await page.contents.uploadContent(XOR, 'text', `${tmpPath}/xor.ipynb`);
    await page.notebook.open('xor.ipynb', { noKernel: true });
    await expect(page.activity.getTabLocator('xor.ipynb')).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');
    const sidebar = page.locator('#cellflow-sidebar');
    // One cellflow tab in the left area, no second one for runs.
    await expect(page.locator('.jp-SideBar [data-id^="cellflow"]')).toHaveCount(1);

    const titles = sidebar.locator('.jp-AccordionPanel-title');
    await expect(titles).toHaveText(['Pipeline', 'Run', 'History', 'Tuning', 'Storage']);
    for (const id of [
      'cellflow-pipeline-section',
      'cellflow-run-section',
      'cellflow-history-section',
      'cellflow-tuning-section',
      'cellflow-storage-section'
    ]) {
      await expect(sectionTitle(page, id)).toHaveAttribute('aria-expanded', 'true');
    }
    // Everything the analysis fills in: the steps, the parameters form, the empty history.
    await expect(sidebar.locator('.jp-cellflow-StepName')).toHaveCount(expectedSteps().length);
    await expect(sidebar.locator('.jp-cellflow-ParametersForm input[name="epochs"]')).toHaveValue('20');
    await expect(sidebar.locator('.jp-cellflow-HistorySection .jp-cellflow-Empty')).toBeVisible();
    await expect(sidebar.locator('.jp-cellflow-AnalyzeButton')).toHaveText('Analyze');
    expect(await sidebar.screenshot()).toMatchSnapshot('xor-one-sidebar.png');

    // Compile from the palette shows the Run section (its stages) when it was collapsed.
    await sectionTitle(page, 'cellflow-run-section').click();
    await expect(sidebar.locator('.jp-cellflow-RunSection')).toBeHidden();
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('cellflow:compile'));
    await expect(sectionTitle(page, 'cellflow-run-section')).toHaveAttribute('aria-expanded', 'true');
    await expect(sidebar.locator('.jp-cellflow-RunSection .jp-cellflow-RunButton')).toBeVisible();

    // A collapsed section stays collapsed after a reload; the others stay open.
    await sectionTitle(page, 'cellflow-history-section').click();
    await expect(sectionTitle(page, 'cellflow-history-section')).toHaveAttribute('aria-expanded', 'false');
    await expect(sidebar.locator('.jp-cellflow-HistorySection')).toBeHidden();
    // JupyterLab writes its state database into the workspace a moment later; reload once it has.
    await expect
      .poll(() =>
        page.evaluate(async url => {
          const workspace = await (await fetch(url)).json();
          return workspace.data?.['cellflow:sidebar']?.collapsed ?? null;
        }, `${baseURL}/lab/api/workspaces/default`)
      )
      .toEqual(['cellflow-history-section']);
    // The workspace brings back the notebook, not the launcher Galata waits for by default.
    await page.reload({ waitForIsReady: false });
    await expect(page.activity.getTabLocator('xor.ipynb')).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');
    await expect(sectionTitle(page, 'cellflow-history-section')).toHaveAttribute('aria-expanded', 'false');
    await expect(sectionTitle(page, 'cellflow-run-section')).toHaveAttribute('aria-expanded', 'true');
    await expect(sectionTitle(page, 'cellflow-pipeline-section')).toHaveAttribute('aria-expanded', 'true');
  });
});

function sectionTitle(page: IJupyterLabPageFixture, id: string) {
  return page.locator(`#cellflow-sidebar .jp-AccordionPanel-title[data-section="${id}"]`);
}

/** The step tags of the example, in notebook order (first use of each name). */
function expectedSteps(): string[] {
  const notebook = JSON.parse(XOR) as { cells: { metadata?: { tags?: string[] } }[] };
  const names: string[] = [];
  for (const cell of notebook.cells) {
    for (const tag of cell.metadata?.tags ?? []) {
      const match = /^(?:step|block):(.+)$/.exec(tag);
      if (match && !names.includes(match[1])) {
        names.push(match[1]);
      }
    }
  }
  return names;
}
