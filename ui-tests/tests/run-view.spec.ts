import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';

const XOR = readFileSync(join(__dirname, '..', '..', 'examples', 'xor.ipynb'), 'utf8');
const STEPS = ['generate', 'scatter_plot', 'train_linear', 'train_hidden', 'training_plots', 'evaluate'];

/** Small data and few epochs: the whole pipeline in seconds. */
const SMALL = { epochs: '2', n_train: '400', n_test: '100' };

test.describe('compile, run and watch runs of examples/xor.ipynb', () => {
  // Each run starts a Node process per step and loads tfjs in it.
  test.setTimeout(300_000);

  test.beforeEach(async ({ page, tmpPath }) => {
    await page.contents.uploadContent(XOR, 'text', `${tmpPath}/xor.ipynb`);
    // Steps run in their own processes: the notebook needs no kernel here.
    await page.notebook.open('xor.ipynb', { noKernel: true });
    await expect(page.activity.getTabLocator('xor.ipynb')).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');
    // The form is filled from the analysis, which runs when the notebook opens.
    await expect(parameter(page, 'epochs')).toHaveValue('20', { timeout: 60_000 });
  });

  test('Compile and Run with small epochs: every step succeeds, the metrics and both plots show', async ({ page }) => {
    await fillParameters(page, SMALL);
    await page.locator('#cellflow-sidebar .jp-cellflow-RunButton').click();

    const view = runView(page);
    await expect(view).toBeVisible({ timeout: 60_000 });
    await expect(view).toHaveAttribute('data-status', 'succeeded', { timeout: 240_000 });
    await expect(view.locator('.jp-cellflow-RunParameters')).toContainText('epochs=2');
    for (const step of STEPS) {
      await expect(view.locator(`.jp-cellflow-DagNode[data-step="${step}"]`)).toHaveAttribute(
        'data-status',
        'succeeded'
      );
    }
    await expect(view.locator('.jp-cellflow-DagEdge')).toHaveCount(7);
    for (const metric of ['linear_test_acc', 'hidden_test_acc']) {
      await expect(
        view.locator(`.jp-cellflow-RunSide > .jp-cellflow-Metrics tr[data-metric="${metric}"] td`)
      ).toHaveText(/^(0(\.\d+)?|1)$/);
    }

    for (const step of ['scatter_plot', 'training_plots']) {
      await selectStep(page, step);
      const image = view.locator(`.jp-cellflow-StepDetails[data-step="${step}"] .jp-cellflow-Artifact img`).first();
      await expect(image).toBeVisible();
      await expect.poll(() => image.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
    await page.screenshot({ path: 'test-results/run-view-succeeded.png' });

    await selectStep(page, 'training_plots'); // deselect: the DAG alone for the snapshot
    expect(
      await view.locator('.jp-cellflow-Dag').screenshot({ mask: [view.locator('.jp-cellflow-DagNodeStatus')] })
    ).toMatchSnapshot('run-view-dag.png');
  });

  test('cancel a run', async ({ page }) => {
    // Enough epochs that training is still going when Cancel is pressed.
    await fillParameters(page, { epochs: '2000' });
    await page.locator('#cellflow-sidebar .jp-cellflow-RunButton').click();

    const view = runView(page);
    await expect(view.locator('.jp-cellflow-DagNode[data-step="train_hidden"]')).toHaveAttribute(
      'data-status',
      'running',
      { timeout: 120_000 }
    );
    const cancelled = page.waitForResponse(response => /\/api\/runs\/[^/]+\/cancel/.test(response.url()));
    await view.locator('.jp-cellflow-CancelButton').click();
    // The body says why, should the backend refuse.
    expect(await (await cancelled).text()).toContain('"cancelled":true');
    await expect(view).toHaveAttribute('data-status', 'cancelled', { timeout: 60_000 });
    await expect(view.locator('.jp-cellflow-DagNode[data-step="evaluate"]')).not.toHaveAttribute(
      'data-status',
      'succeeded'
    );
    await expect(view.locator('.jp-cellflow-CancelButton')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/run-view-cancelled.png' });
  });

  test('open a past run from the history, and run it again with its parameters', async ({ page }) => {
    await fillParameters(page, SMALL);
    await page.locator('#cellflow-sidebar .jp-cellflow-RunButton').click();
    await expect(runView(page)).toHaveAttribute('data-status', 'succeeded', { timeout: 240_000 });
    const runId = await runView(page).getAttribute('data-run-id');
    await page.activity.closePanel(`Run ${runId!.slice(-6)}`);
    await expect(runView(page)).toHaveCount(0);

    const item = page.locator(`#cellflow-sidebar .jp-cellflow-RunItem[data-run-id="${runId}"]`);
    await expect(item).toContainText('epochs=2');
    await item.locator('.jp-cellflow-RunOpen').click();
    const view = runView(page);
    await expect(view).toHaveAttribute('data-status', 'succeeded');
    await expect(view).toHaveAttribute('data-run-id', runId!);
    await selectStep(page, 'generate');
    await expect(view.locator('.jp-cellflow-StepDetails .jp-cellflow-Logs').first()).toContainText('train:');
    await page.screenshot({ path: 'test-results/run-view-past.png' });

    await item.locator('.jp-cellflow-RunAgain').click();
    const again = page.locator(`.jp-cellflow-RunViewBody:not([data-run-id="${runId}"])`);
    await expect(again).toBeVisible({ timeout: 60_000 });
    await expect(again.locator('.jp-cellflow-RunParameters')).toContainText('epochs=2');
    await expect(again).toHaveAttribute('data-status', 'succeeded', { timeout: 240_000 });
  });
});

function parameter(page: IJupyterLabPageFixture, name: string) {
  return page.locator(`#cellflow-sidebar .jp-cellflow-ParametersForm input[name="${name}"]`);
}

async function fillParameters(page: IJupyterLabPageFixture, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    await parameter(page, name).fill(value);
  }
}

/** The run view on show (the active main-area tab). */
function runView(page: IJupyterLabPageFixture) {
  return page.locator('.jp-cellflow-RunView:visible .jp-cellflow-RunViewBody');
}

async function selectStep(page: IJupyterLabPageFixture, step: string): Promise<void> {
  await runView(page).locator(`.jp-cellflow-DagNode[data-step="${step}"] > g[role="button"]`).click();
}
