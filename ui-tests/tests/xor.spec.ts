import { expect, test } from '@jupyterlab/galata';
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
});

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
