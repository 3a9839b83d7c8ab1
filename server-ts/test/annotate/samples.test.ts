/**
 * Golden samples for `proposeSplit`: each folder under test/samples/annotate
 * holds notebook.ipynb and expected.json (the proposal). Each proposal's tags,
 * written into the notebook, must analyse without errors into the proposed
 * steps. CELLFLOW_UPDATE_SAMPLES=1 rewrites expected.json.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeNotebook } from '../../src/analyze/index.js';
import { applyTags } from '../../src/annotate/apply.js';
import { proposeSplit } from '../../src/annotate/propose.js';
import { parseNotebook } from '../../src/notebook/read.js';
import { samplesRoot, updateSamples } from '../paths.js';

const root = join(samplesRoot, 'annotate');
const cases = readdirSync(root)
  .filter(name => existsSync(join(root, name, 'notebook.ipynb')))
  .sort();

test('there are golden samples for annotate', () => {
  assert.ok(cases.length >= 10, `expected at least 10 samples, found ${cases.length}`);
});

for (const name of cases) {
  test(`annotate sample: ${name}`, () => {
    const notebook = parseNotebook(readFileSync(join(root, name, 'notebook.ipynb'), 'utf8')).json;
    const proposal = proposeSplit(notebook, analyzeNotebook(notebook));
    const expectedPath = join(root, name, 'expected.json');
    if (updateSamples || !existsSync(expectedPath)) {
      writeFileSync(expectedPath, JSON.stringify(proposal, null, 2) + '\n');
      if (!updateSamples) assert.fail(`${name}: wrote a new expected.json; review it and run again`);
    } else {
      assert.deepEqual(proposal, JSON.parse(readFileSync(expectedPath, 'utf8')));
    }
    if (proposal.cells.length === 0) return;
    const annotated = applyTags(notebook, new Map(proposal.cells.map(c => [c.index, c.tags])));
    const ir = analyzeNotebook(annotated).ir;
    assert.deepEqual(
      ir.diagnostics.filter(d => d.severity === 'error'),
      [],
      'the annotated notebook has errors'
    );
    assert.deepEqual(
      ir.steps.map(s => ({ name: s.name, cells: s.cells, prev: s.dependencies, ins: s.ins, outs: s.outs })),
      proposal.steps
    );
  });
}
