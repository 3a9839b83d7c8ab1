import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

/** A tiny tslab pipeline: `total` is computed from `xs`, which the step before makes; `cellflow` is its metadata. */
function tinyNotebook(cellflow?: unknown): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript' },
      ...(cellflow ? { cellflow } : {})
    },
    cells: [
      ['pipeline-parameters', 'let n = 4;'],
      ['step:make', 'const xs = Array.from({ length: n }, (_, i) => i * 10);'],
      ['step:total', 'const total = xs.reduce((a, b) => a + b, 0);\nconsole.log("total " + total);'],
      ['pipeline-metrics', 'total']
    ].map(([tag, source], index) => ({
      cell_type: 'code',
      id: `cell-${index}`,
      metadata: { tags: [tag, ...(tag === 'step:total' ? ['prev:make'] : [])] },
      source,
      outputs: [],
      execution_count: null
    }))
  });
}
const TINY = tinyNotebook();
/** A grid over n = 2..4 minimizing total: the best trial is n = 2 (xs = [0, 10], total = 10). */
const TUNED = tinyNotebook({
  katib_metadata: {
    objective: { type: 'minimize', objectiveMetricName: 'total' },
    algorithm: { algorithmName: 'grid' },
    parallelTrialCount: 1,
    parameters: [{ name: 'n', parameterType: 'int', feasibleSpace: { min: '2', max: '4' } }]
  }
});

test.describe('restore a step of a run into a live kernel', () => {
  // A run, a restored folder and a tslab kernel that starts and loads the values.
  test.setTimeout(300_000);

  test('Restore this step opens the restored notebook and its kernel holds the step’s values', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(TINY, 'text', `${tmpPath}/tiny.ipynb`);
    await page.notebook.open('tiny.ipynb', { noKernel: true });
    await page.sidebar.openTab('cellflow-sidebar');
    await expect(page.locator('#cellflow-sidebar .jp-cellflow-ParametersForm input[name="n"]')).toHaveValue('4', {
      timeout: 60_000
    });
    await page.locator('#cellflow-sidebar .jp-cellflow-ParametersForm input[name="n"]').fill('5');
    await page.locator('#cellflow-sidebar .jp-cellflow-RunButton').click();

    const view = page.locator('.jp-cellflow-RunView:visible .jp-cellflow-RunViewBody');
    await expect(view).toHaveAttribute('data-status', 'succeeded', { timeout: 180_000 });
    await expect(view.locator('.jp-cellflow-RestoreRun')).toBeVisible();

    // The Storage section counts the run's snapshots; gc's dry run keeps them all (a run references them).
    const storage = page.locator('#cellflow-sidebar .jp-cellflow-StorageSection');
    await storage.locator('.jp-cellflow-LinkButton', { hasText: 'Refresh' }).click();
    await expect
      .poll(async () => Number(await storage.locator('.jp-cellflow-StorageUsage').getAttribute('data-snapshots')))
      .toBeGreaterThan(0);
    await storage.locator('.jp-cellflow-StorageCleanUp').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.locator('.jp-cellflow-GcPreview')).toContainText('Would remove 0 snapshot(s)');
    await expect(dialog.locator('.jp-cellflow-GcPreview')).toContainText('Kept:');
    await dialog.locator('.jp-Dialog-button', { hasText: 'Close' }).click();
    await expect(dialog).toHaveCount(0);

    await view.locator('.jp-cellflow-DagNode[data-step="total"] > g[role="button"]').click();
    const restored = page.waitForResponse(
      response => response.url().includes('/cellflow/api/restore') && response.request().method() === 'POST'
    );
    await view.locator('.jp-cellflow-StepDetails[data-step="total"] .jp-cellflow-RestoreStep').click();
    const answer = await (await restored).json();
    expect(answer).toMatchObject({ step: 'total' });
    expect(answer.values).toEqual(expect.arrayContaining(['total']));

    // The restored notebook opens in the main area, and Restore State says what it loaded.
    // (Its tab has the run's notebook's name; its tooltip has the restored path.)
    await expect(page.locator(`.jp-mod-current[role="tab"][title*="Path: ${answer.notebook}"]`)).toBeVisible({
      timeout: 60_000
    });
    await expect(page.locator('.jp-toast-message', { hasText: /Restored \d+ value/ })).toBeVisible({
      timeout: 180_000
    });

    // The kernel holds the run's values: n was 5 in the run, so xs = [0, 10, 20, 30, 40] and total = 100.
    expect(await evaluate(page, 'total * 100 + xs.length')).toBe('10005');
  });
});

test.describe('restore the best trial of an experiment into a live kernel', () => {
  test.setTimeout(300_000);

  test('cellflow:restore-best-trial restores the best trial and its kernel holds its values', async ({
    page,
    baseURL,
    tmpPath
  }) => {
    await page.contents.uploadContent(TUNED, 'text', `${tmpPath}/tuned.ipynb`);
    await page.notebook.open('tuned.ipynb', { noKernel: true });
    // The experiment is started over the API (the Tune dialog is another plugin's) and runs to its end.
    const created = await page.evaluate(
      async ({ url, path }) => {
        const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
        const reply = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-XSRFToken': xsrf },
          body: JSON.stringify({ path })
        });
        return { status: reply.status, body: await reply.json() };
      },
      { url: `${baseURL}/cellflow/api/experiments`, path: `${tmpPath}/tuned.ipynb` }
    );
    expect(created.status).toBe(201);
    await expect
      .poll(
        () =>
          page.evaluate(
            async url => (await (await fetch(url)).json()).status,
            `${baseURL}/cellflow/api/experiments/${created.body.id}?path=${encodeURIComponent(`${tmpPath}/tuned.ipynb`)}`
          ),
        { timeout: 180_000 }
      )
      .toBe('succeeded');

    // No id: the active notebook's newest experiment with a best trial.
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('cellflow:restore-best-trial'));
    await expect(page.locator('.jp-toast-message', { hasText: /Restored \d+ value/ })).toBeVisible({
      timeout: 180_000
    });
    expect(await evaluate(page, 'total * 100 + xs.length')).toBe('1002');
  });
});

/** Appends a cell to the active notebook, runs it in its kernel and answers its text output. */
async function evaluate(page: IJupyterLabPageFixture, code: string): Promise<string> {
  await page.notebook.addCell('code', code);
  const index = (await page.notebook.getCellCount()) - 1;
  await page.notebook.runCell(index, true);
  const output = await page.notebook.getCellTextOutput(index);
  return (output ?? []).join('').trim();
}
