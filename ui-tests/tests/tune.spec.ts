import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * examples/xor.ipynb with small data and 2 epochs in its parameters cell: a trial's training takes seconds. The
 * tuned parameters override the cell's values per trial; the others are what the cell says.
 */
function smallXor(): string {
  const notebook = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'xor.ipynb'), 'utf8'));
  const cell = notebook.cells.find((c: { metadata?: { tags?: string[] } }) =>
    c.metadata?.tags?.includes('pipeline-parameters')
  );
  const small: Record<string, string> = { n_train: '400', n_test: '100', epochs: '2' };
  const source = (Array.isArray(cell.source) ? cell.source.join('') : cell.source) as string;
  cell.source = source.replace(/^const (\w+) = [^;]+;/gm, (line: string, name: string) =>
    name in small ? `const ${name} = ${small[name]};` : line
  );
  return JSON.stringify(notebook, null, 1);
}

// A wide page, so the trials view shows both charts side by side and the whole table for its picture.
test.use({ actionTimeout: 60_000, viewport: { width: 1600, height: 1000 } });

test.describe('tune examples/xor.ipynb from the sidebar', () => {
  // Four trials, two at a time, each a run of six steps (a Node process each, tfjs loaded in each).
  test.setTimeout(600_000);

  test('a grid of 4 trials maximizing hidden_test_acc: watched to the end, the best trial restored', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(smallXor(), 'text', `${tmpPath}/xor.ipynb`);
    // Trials run in their own processes: the notebook needs no kernel here.
    await page.notebook.open('xor.ipynb', { noKernel: true });
    await expect(page.activity.getTabLocator('xor.ipynb')).toBeVisible();
    await page.sidebar.openTab('cellflow-sidebar');

    // The dialog is filled from the analysis, which runs when the notebook opens.
    await expect(page.locator('#cellflow-sidebar .jp-cellflow-StepName')).toHaveCount(6, { timeout: 60_000 });
    const section = page.locator('.jp-cellflow-TuningSection');
    await section.locator('input[name="katib_run"]').check();
    await section.locator('.jp-cellflow-TuneButton').click();

    const dialog = page.locator('.jp-Dialog .jp-cellflow-TuneEditor');
    // Pre-filled from the parameters cell.
    await expect(dialog.locator('.jp-cellflow-TuneParameter[data-parameter="learning_rate"]')).toBeVisible();
    await dialog.locator('select[name="algorithm"]').selectOption('grid');
    await dialog.locator('input[name="tune-learning_rate"]').check();
    await dialog.locator('input[name="log-learning_rate"]').uncheck();
    await dialog.locator('input[name="min-learning_rate"]').fill('0.01');
    await dialog.locator('input[name="max-learning_rate"]').fill('0.1');
    await dialog.locator('input[name="step-learning_rate"]').fill('0.09');
    await dialog.locator('input[name="tune-hidden_units"]').check();
    await dialog.locator('input[name="min-hidden_units"]').fill('4');
    await dialog.locator('input[name="max-hidden_units"]').fill('16');
    await dialog.locator('input[name="step-hidden_units"]').fill('12');
    await dialog.locator('select[name="objectiveMetricName"]').selectOption('hidden_test_acc');
    await dialog.locator('select[name="objectiveType"]').selectOption('maximize');
    await dialog.locator('input[name="maxTrialCount"]').fill('4');
    await dialog.locator('input[name="parallelTrialCount"]').fill('2');
    await dialog.locator('input[name="seed"]').fill('7');

    // A problem shows in the dialog and Save writes nothing: 5 trials of a 4-point grid.
    await dialog.locator('input[name="maxTrialCount"]').fill('5');
    await expect(dialog.locator('.jp-cellflow-FieldProblem')).toContainText('4 combinations');
    await page.locator('.jp-Dialog-content').screenshot({ path: 'test-results/tune-dialog.png' });
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(dialog).toBeVisible();
    await dialog.locator('input[name="maxTrialCount"]').fill('4');
    await expect(dialog.locator('.jp-cellflow-FieldProblem')).toHaveCount(0);
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await expect(section.locator('.jp-cellflow-TuneSummary')).toContainText(
      'grid over learning_rate, hidden_units; maximize hidden_test_acc; 4 trials, 2 at once'
    );

    await page.screenshot({ path: 'test-results/tune-section.png' });

    // The spec is in the notebook's metadata, with Katib's field names.
    const metadata = await page.evaluate(() => {
      const panel = (window as any).jupyterapp.shell.currentWidget;
      return panel.context.model.getMetadata('cellflow');
    });
    expect(metadata.katib_run).toBe(true);
    expect(metadata.katib_metadata).toMatchObject({
      objective: { type: 'maximize', objectiveMetricName: 'hidden_test_acc' },
      algorithm: { algorithmName: 'grid', algorithmSettings: [{ name: 'random_state', value: '7' }] },
      parameters: [
        { name: 'learning_rate', parameterType: 'double', feasibleSpace: { min: '0.01', max: '0.1', step: '0.09' } },
        { name: 'hidden_units', parameterType: 'int', feasibleSpace: { min: '4', max: '16', step: '12' } }
      ],
      maxTrialCount: 4,
      parallelTrialCount: 2
    });

    await section.locator('.jp-cellflow-StartTuningButton').click();
    const view = page.locator('.jp-cellflow-TrialsView:visible .jp-cellflow-TrialsViewBody');
    await expect(view).toBeVisible({ timeout: 60_000 });
    await expect(view).toHaveAttribute('data-status', 'running');
    await expect(view).toHaveAttribute('data-status', 'succeeded', { timeout: 540_000 });

    const rows = view.locator('.jp-cellflow-TrialsTable tbody tr');
    await expect(rows).toHaveCount(4);
    await expect(view.locator('.jp-cellflow-TrialsTable tbody tr[data-status="succeeded"]')).toHaveCount(4);
    for (const row of await rows.all()) {
      await expect(row.locator('.jp-cellflow-Objective')).toHaveText(/^(0(\.\d+)?|1)$/);
    }
    // The best trial is marked, and it is the one with the highest objective.
    const best = view.locator('.jp-cellflow-TrialsTable tbody tr.jp-mod-best');
    await expect(best).toHaveCount(1);
    await expect(best).toContainText('★');
    const objectives = (await rows.locator('.jp-cellflow-Objective').allTextContents()).map(Number);
    expect(Number(await best.locator('.jp-cellflow-Objective').textContent())).toBe(Math.max(...objectives));
    // The grid's four combinations, each once.
    const combos = await rows.evaluateAll(trs =>
      trs.map(tr => [tr.children[1].textContent, tr.children[2].textContent].join(' '))
    );
    expect(combos.sort()).toEqual(['0.01 16', '0.01 4', '0.1 16', '0.1 4']);

    // Both charts are drawn (ECharts renders on a canvas).
    for (const chart of ['.jp-cellflow-ObjectiveChart', '.jp-cellflow-ParallelChart']) {
      await expect(view.locator(`${chart} canvas`)).toHaveCount(1);
    }
    // The sidebar lists the experiment.
    await expect(section.locator('.jp-cellflow-ExperimentItem')).toHaveCount(1);
    await expect(section.locator('.jp-cellflow-ExperimentItem')).toContainText('4/4 trials');

    // The picture: the sidebar closed so the view has the page's width; the experiment id varies.
    await page.sidebar.close('left');
    await expect(view.locator('.jp-cellflow-TrialsTable')).toBeInViewport();
    expect(await view.screenshot({ mask: [view.locator('.jp-cellflow-RunId')] })).toMatchSnapshot('trials-view.png', {
      maxDiffPixelRatio: 0.02
    });
    await page.sidebar.open('left');

    await restoreBestTrial(page, view, (await best.locator('.jp-cellflow-Objective').textContent())!);
  });
});

/**
 * "Restore best trial" opens the restored notebook and loads the best trial's state into its tslab kernel; a cell
 * added there recomputes the test accuracy of the restored model, which is the best trial's objective.
 */
async function restoreBestTrial(
  page: IJupyterLabPageFixture,
  view: ReturnType<IJupyterLabPageFixture['locator']>,
  bestObjective: string
): Promise<void> {
  await view.locator('.jp-cellflow-RestoreBestButton').click();
  // The restored notebook opens in its own folder (its tab has the notebook's name, its tooltip the restored path),
  // and Restore State says what it loaded.
  await expect(page.locator('.jp-mod-current[role="tab"][title*="/restored/xor-"]')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('.jp-toast-message', { hasText: /Restored \d+ value/ })).toBeVisible({
    timeout: 180_000
  });

  await page.notebook.addCell('code', 'testAccuracy(hiddenModel, xTest, yTest)');
  const index = (await page.notebook.getCellCount()) - 1;
  await page.notebook.runCell(index, true);
  const output = ((await page.notebook.getCellTextOutput(index)) ?? []).join('').trim();
  // The table shows 6 significant digits.
  expect(Number(Number(output).toPrecision(6))).toBe(Number(bestObjective));
  await page.screenshot({ path: 'test-results/tune-restored.png' });
}
