/**
 * Before the first step starts: can every step load what its cells import?
 * Each static import, re-export, and `import()`/`require()` with a literal
 * specifier the cell does not guard, of every analysed cell, is resolved from the notebook's folder,
 * as the kernel would resolve it, so a missing package fails the run at once
 * with the cell, the line and the install command, not inside a step.
 */
import { dirname } from 'node:path';
import type { Analysis } from '../analyze/index.js';
import { importError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveForNode } from './node-imports.js';

export function checkRunnable(analysis: Analysis, notebookPath: string): Diagnostic[] {
  const notebookDir = dirname(notebookPath);
  const { language, kernel } = analysis.ir;
  // Steps of Deno notebooks run on Node too (for now): their imports must resolve as Node resolves them.
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const [cellIndex, facts] of [...analysis.facts].sort(([a], [b]) => a - b)) {
    for (const site of facts.imports) {
      // A load the notebook guards (in a `try`, with `.catch`) or defers (in a function) may fail as it pleases;
      // one in a branch counts: it fails the cell if the branch runs, and installing the package is the fix anyway.
      if (site.optional || seen.has(site.specifier)) continue; // one report per specifier: its first site
      seen.add(site.specifier);
      const unresolved = resolveForNode(site, notebookDir, language);
      if (!unresolved) continue;
      const place = { cellIndex, line: site.line, column: site.column };
      switch (unresolved.why) {
        case 'missing-package':
          diagnostics.push(importError.missingPackage(place, unresolved.packageName, notebookDir));
          break;
        case 'missing-file':
          diagnostics.push(importError.missingFile(place, site.specifier, unresolved.path));
          break;
        case 'unresolvable':
          diagnostics.push(importError.unresolvable(place, site.specifier, unresolved.detail));
          break;
        case 'deno-specifier':
          diagnostics.push(
            kernel === 'deno'
              ? importError.denoSpecifierInStep(place, site.specifier)
              : importError.denoSpecifierOnNode(place, site.specifier, kernel)
          );
          break;
      }
    }
  }
  return diagnostics;
}
