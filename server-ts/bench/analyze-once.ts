/**
 * Runs in a fresh process: imports the analyzer and analyzes one notebook
 * cold, printing timings as JSON. Measured from a child so nothing is warm.
 */
const started = performance.now();
const { readFileSync } = await import('node:fs');
const { analyzeNotebook } = await import('../src/analyze/index.js');
const imported = performance.now();
const notebook = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const before = performance.now();
const { ir } = analyzeNotebook(notebook);
const analyzed = performance.now();
process.stdout.write(
  JSON.stringify({
    importMs: imported - started,
    analyzeMs: analyzed - before,
    steps: ir.steps.length,
    diagnostics: ir.diagnostics.length
  }) + '\n'
);
