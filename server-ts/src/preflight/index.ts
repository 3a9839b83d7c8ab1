/**
 * Before the first step starts: can every step load what its cells import?
 * Each static import, re-export, and `import()`/`require()` with a literal
 * specifier the cell does not guard, of every analysed cell, is resolved from the notebook's folder,
 * as the kernel would resolve it, so a missing package fails the run at once
 * with the cell, the line and the install command, not inside a step. A Deno
 * notebook's imports are resolved (and fetched) by Deno (`deno-imports.ts`).
 */
import { dirname } from 'node:path';
import type { ImportSite } from '../analyze/cell-facts.js';
import type { Analysis } from '../analyze/index.js';
import { commandError, importError } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { denoExecutable } from '../engine/local/step-command.js';
import { kernelRuntime, TSLAB_KERNELS } from '../notebook/language.js';
import { resolveForDeno } from './deno-imports.js';
import { resolveForNode } from './node-imports.js';

export function checkRunnable(analysis: Analysis, notebookPath: string): Diagnostic[] {
  const notebookDir = dirname(notebookPath);
  const { language, kernel } = analysis.ir;
  const onDeno = kernelRuntime(kernel) === 'deno';
  const diagnostics: Diagnostic[] = [];
  const sites: { cellIndex: number; site: ImportSite }[] = [];
  const seen = new Set<string>();
  for (const [cellIndex, facts] of [...analysis.facts].sort(([a], [b]) => a - b)) {
    for (const site of facts.imports) {
      // A load the notebook guards (in a `try`, with `.catch`) or defers (in a function) may fail as it pleases;
      // one in a branch counts: it fails the cell if the branch runs, and installing the package is the fix anyway.
      if (site.optional || seen.has(site.specifier)) continue; // one report per specifier: its first site
      if (site.specifier === 'tslab' && site.kind !== 'require' && TSLAB_KERNELS.has(kernel)) continue; // the kernel's own
      seen.add(site.specifier);
      sites.push({ cellIndex, site });
    }
  }
  // A Deno step's `import`s are Deno's to resolve; its `require` is Node's algorithm (Deno's `createRequire`).
  const forDeno = onDeno ? sites.filter(s => s.site.kind !== 'require') : [];
  if (onDeno) {
    try {
      denoExecutable();
    } catch (error) {
      return [commandError.denoUnavailable(firstLine(error))];
    }
  }
  const denoFailures = resolveForDeno(
    forDeno.map(s => s.site),
    notebookDir
  );
  for (const { cellIndex, site } of sites) {
    const place = { cellIndex, line: site.line, column: site.column };
    const unresolved = resolveForNode(site, notebookDir, language);
    if (forDeno.some(s => s.site === site)) {
      const detail = denoFailures.get(site);
      if (detail === undefined) continue;
      // A bare name Node cannot find either is simply not installed: say how to install it.
      if (unresolved?.why === 'missing-package')
        diagnostics.push(importError.missingPackage(place, unresolved.packageName, notebookDir));
      else diagnostics.push(importError.denoImportUnavailable(place, site.specifier, detail));
      continue;
    }
    if (!unresolved) continue;
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
          onDeno
            ? importError.denoImportUnavailable(place, site.specifier, "`require` loads by Node's rules; `import` it")
            : importError.denoSpecifierOnNode(place, site.specifier, kernel)
        );
        break;
    }
  }
  return diagnostics;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n', 1)[0] ?? text;
}
