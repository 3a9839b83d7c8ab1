/**
 * Emits step programs and the straight-through notebook program. Parameter
 * values never appear in generated code: programs read them from the run's
 * context at start, so no value can inject code.
 */
import { kernelRuntime, TSLAB_KERNELS } from '../../notebook/language.js';
import { IJAVASCRIPT_KERNELS } from '../../analyze/known-globals.js';
import { moduleLoaderFor } from './module-loader.js';
import { sourceText } from './source-text.js';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { Analysis } from '../../analyze/index.js';
import type { CellFacts } from '../../analyze/cell-facts.js';
import type { PipelineIR, Step } from '../../ir.js';
import type { LocalPlan, PlanStep } from './plan.js';
import { ProgramBuilder } from './program-builder.js';
import { neededStatements, preludeStatements } from './prelude-pruning.js';
import { erasedImports, resolveSpecifier, transformCell, type TransformedCell } from './transform-cell.js';

const RUNTIME_URL = new URL('../../runtime/step.js', import.meta.url).href;
const RUNTIME = '__cellflow';
/**
 * What a cell's result (its last expression's value) becomes, as the kernel has it: tslab (and jslab) print it
 * with `console.log`, the other kernels display it.
 */
function showResult(kernel: string): string {
  return TSLAB_KERNELS.has(kernel) ? `${RUNTIME}.printResult` : `${RUNTIME}.result`;
}

/**
 * Modules the kernel gives its cells without an install: tslab (and jslab) provide `tslab`, whose display API
 * steps get from cellflow's own module.
 */
function kernelModules(kernel: string): ReadonlyMap<string, string> {
  const tslab = new URL('../../runtime/kernels/tslab.js', import.meta.url).href;
  return TSLAB_KERNELS.has(kernel) ? new Map([['tslab', tslab]]) : new Map();
}

/** What every cell of the notebook is transformed with, in a step and in the straight run alike. */
function cellTransformOptions(analysis: Analysis) {
  return {
    erased: erasedImports(analysis.facts.values()),
    provided: kernelModules(analysis.ir.kernel),
    showResult: showResult(analysis.ir.kernel)
  };
}

export interface CompiledLocal {
  plan: LocalPlan;
  /** Program text by file name (relative to the plan folder). */
  programs: Map<string, string>;
}

export function compileLocal(analysis: Analysis, notebookPath: string): CompiledLocal {
  const { ir } = analysis;
  const notebookDir = dirname(notebookPath);
  const options = cellTransformOptions(analysis);
  const transformed = new Map<number, TransformedCell>();
  const transform = (cellIndex: number): TransformedCell => {
    let cell = transformed.get(cellIndex);
    if (!cell) {
      const facts = analysis.facts.get(cellIndex)!;
      cell = transformCell(facts.js, facts.sourceType, notebookDir, options);
      transformed.set(cellIndex, cell);
    }
    return cell;
  };

  const classes = ir.prelude.flatMap(p =>
    analysis.facts
      .get(p.cellIndex)!
      .defines.filter(d => d.kind === 'class')
      .map(d => d.name)
  );
  const parameterNames = new Set(ir.parameters.map(p => p.name));
  const preludeParameters = ir.prelude.flatMap(p =>
    analysis.facts
      .get(p.cellIndex)!
      .reads.map(r => r.name)
      .filter(n => parameterNames.has(n))
  );

  const statements = ir.prelude.flatMap(p => {
    const facts = analysis.facts.get(p.cellIndex)!;
    return facts.parseError ? [] : preludeStatements(p.cellIndex, facts.js, facts.sourceType);
  });
  const preludeKinds = new Map(ir.prelude.map(p => [p.cellIndex, p.kind]));
  const preludeFor = (step: Step): PreludeForStep => {
    const roots = [...classes, ...step.cells.flatMap(c => analysis.facts.get(c)!.reads.map(r => r.name))];
    const kept = neededStatements(statements, roots);
    const bindings = new Map<string, WatchedBinding>();
    for (const statement of statements) {
      if (!kept.has(`${statement.cellIndex}:${statement.index}`)) continue;
      for (const name of statement.declares) {
        bindings.set(name, { name, cellIndex: statement.cellIndex, kind: preludeKinds.get(statement.cellIndex)! });
      }
    }
    return {
      transform: (cellIndex: number) => {
        const facts = analysis.facts.get(cellIndex)!;
        const keep = (index: number) => kept.has(`${cellIndex}:${index}`);
        // A prelude runs in every step: what it would display, the kernel displays once, so no step does.
        return transformCell(facts.js, facts.sourceType, notebookDir, { ...options, keep, showResult: undefined });
      },
      bindings: [...bindings.values()],
      readsProcess:
        step.cells.some(c => analysis.facts.get(c)!.reads.some(r => r.name === 'process')) ||
        statements.some(s => kept.has(`${s.cellIndex}:${s.index}`) && s.reads.includes('process'))
    };
  };

  const programs = new Map<string, string>();
  const runtime = kernelRuntime(ir.kernel);
  const moduleLoader = moduleLoaderFor(analysis);
  const steps: PlanStep[] = ir.steps.map(step => {
    const prelude = preludeFor(step);
    const builder = stepProgram(step, ir, analysis.facts, transform, prelude, classes, notebookPath);
    const text = builder.toString();
    const file = `steps/${step.name}.mjs`;
    programs.set(file, text);
    return {
      name: step.name,
      file,
      dependencies: step.dependencies,
      ins: step.ins,
      outs: step.outs.map(name => {
        const cellIndex = step.cells.findLast(c => analysis.facts.get(c)!.defines.some(d => d.name === name));
        const site =
          cellIndex === undefined ? undefined : analysis.facts.get(cellIndex)!.defines.find(d => d.name === name)!;
        return {
          name,
          consumers: ir.steps.filter(s => s.ins.some(i => i.name === name && i.from === step.name)).map(s => s.name),
          ...(site ? { definedAt: { cellIndex: cellIndex!, line: site.line, column: site.column } } : {})
        };
      }),
      parameters: [...new Set([...step.parameters, ...preludeParameters])].sort(),
      metrics: ir.metrics.filter(m => m.step === step.name).map(m => m.name),
      firstCell: step.cells[0]!,
      sourceHash: analysis.sourceHashes.get(step.name)!,
      preludeBindings: prelude.bindings.map(b => b.name),
      readsProcess: prelude.readsProcess,
      settings: step.settings,
      // The runtime too: the same program text on Node and on Deno is not the same computation.
      codeHash: createHash('sha256').update(`${runtime}\n`).update(text).digest('hex'),
      lineMap: builder.lineMap,
      imports: [...ir.prelude.map(p => p.cellIndex), ...step.cells].flatMap(cellIndex =>
        analysis.facts.get(cellIndex)!.imports.map(site => ({
          specifier: site.specifier,
          resolved: resolveSpecifier(site.specifier, notebookDir),
          cellIndex,
          line: site.line,
          column: site.column
        }))
      )
    };
  });

  const plan: LocalPlan = {
    version: 1,
    notebookPath,
    notebookDir,
    runtime,
    parameters: ir.parameters,
    classes,
    steps,
    metrics: ir.metrics,
    enableCaching: ir.settings.enable_caching ?? true,
    ...(moduleLoader ? { moduleLoader } : {})
  };
  return { plan, programs };
}

interface WatchedBinding {
  name: string;
  cellIndex: number;
  kind: 'imports' | 'functions';
}

/** What a step keeps of the prelude: its cells' code, the bindings it defines, and whether it reads `process`. */
interface PreludeForStep {
  transform: (cellIndex: number) => TransformedCell;
  bindings: WatchedBinding[];
  readsProcess: boolean;
}

function stepProgram(
  step: Step,
  ir: PipelineIR,
  facts: ReadonlyMap<number, CellFacts>,
  transform: (cellIndex: number) => TransformedCell,
  preludeForStep: PreludeForStep,
  classes: string[],
  notebookPath: string
): ProgramBuilder {
  const prelude = new Map(ir.prelude.map(p => [p.cellIndex, preludeForStep.transform(p.cellIndex)]));
  const cells = [...prelude.keys(), ...step.cells];
  const imports = [...[...prelude.values()].flatMap(p => p.imports), ...step.cells.flatMap(c => transform(c).imports)];
  const builder = header(`step \`${step.name}\``, notebookPath, imports, ir.kernel);
  builder.line(`await ${RUNTIME}.run(async () => {`);
  declareAssignedNames(builder, cells, facts);
  for (const parameter of ir.parameters)
    builder.line(`var ${parameter.name} = ${RUNTIME}.parameter(${JSON.stringify(parameter.name)});`);
  for (const p of ir.prelude) builder.cell(p.cellIndex, p.kind, prelude.get(p.cellIndex)!.body);
  if (classes.length > 0) builder.line(`${RUNTIME}.registerClasses({ ${classes.join(', ')} });`);
  const functions = preludeFunctions(ir, facts);
  if (functions.length > 0) builder.line(`${RUNTIME}.registerFunctions({ ${guarded(functions)} });`);
  const watched = preludeForStep.bindings.map(
    b => `{ name: ${JSON.stringify(b.name)}, cellIndex: ${b.cellIndex}, kind: '${b.kind}', read: () => ${b.name} }`
  );
  builder.line(`${RUNTIME}.watchPrelude([${watched.join(', ')}]);`);
  builder.line(`await ${RUNTIME}.inputsReady();`);
  const ins = step.ins.map(input => input.name);
  if (ins.length > 0) {
    builder.line(`var __cellflowInputs = await ${RUNTIME}.loadInputs(${JSON.stringify(ins)});`);
    builder.line(`var ${ins.map(name => `${name} = __cellflowInputs.${name}`).join(', ')};`);
  } else {
    // Loading nothing still applies upstream `process.env` changes: a step with no inputs sees them too.
    builder.line(`await ${RUNTIME}.loadInputs([]);`);
  }
  for (const cellIndex of step.cells) builder.cell(cellIndex, `step ${step.name}`, transform(cellIndex).body);
  // Everything the step loaded or defines for others, read after its cells: the runtime checks the plan with it.
  const bound = [...new Set([...ins, ...step.outs])].map(name => `${name}: () => ${name}`).join(', ');
  const metrics = ir.metrics.filter(m => m.step === step.name).map(m => `${m.name}: () => ${m.name}`);
  const state = stepStateBindings(step, ir, facts)
    .map(({ name, cellIndex }) => `${name}: [() => ${name}, ${cellIndex}]`)
    .join(', ');
  builder.line(`await ${RUNTIME}.finish({ ${bound} }, { ${metrics.join(', ')} }, { ${state} });`);
  builder.line('});');
  return builder;
}

/**
 * Every top-level binding the step holds besides the prelude and the parameters: its inputs and the names its
 * cells define (outputs too; the runtime leaves out what it saved as outputs), each with the step cell that
 * last defines it (null for an input the step's cells leave as loaded). `cellflow restore` brings them back.
 */
function stepStateBindings(
  step: Step,
  ir: PipelineIR,
  facts: ReadonlyMap<number, CellFacts>
): { name: string; cellIndex: number | null }[] {
  const excluded = new Set([...ir.parameters.map(p => p.name), ...ir.prelude.flatMap(p => p.defines)]);
  const erased = erasedImports(step.cells.map(cellIndex => facts.get(cellIndex)!).filter(Boolean));
  const lastCell = new Map<string, number | null>(step.ins.map(input => [input.name, null]));
  for (const cellIndex of step.cells) {
    for (const d of facts.get(cellIndex)?.defines ?? []) {
      if (excluded.has(d.name) || erased.has(d.name)) continue;
      // An input changed in place stays the input it was loaded as: so a write a run learnt (withLearntWrites,
      // a mutation on the step's last cell) does not change the program, and with it every cache key.
      if (d.how === 'mutate' && lastCell.get(d.name) === null) continue;
      lastCell.set(d.name, cellIndex);
    }
  }
  return [...lastCell].filter(([name]) => !excluded.has(name)).map(([name, cellIndex]) => ({ name, cellIndex }));
}

/**
 * All code cells in notebook order in one process, as a kernel runs them: the baseline runs compare with.
 * With `observe`, the program is `cellflow verify`'s: parameter overrides are applied after the parameters
 * cell, and before each step's first cell the values the step loads in the pipeline are handed to the runtime
 * to compare with these.
 */
export function compileStraightThrough(
  analysis: Analysis,
  notebookPath: string,
  options: { observe?: boolean } = {}
): { program: string; lineMap: PlanStep['lineMap'] } {
  const { ir } = analysis;
  const notebookDir = dirname(notebookPath);
  const cells = [...analysis.facts.keys()].sort((a, b) => a - b);
  const transformOptions = cellTransformOptions(analysis);
  const parameterOrMetricCells = new Set([...ir.parameters, ...ir.metrics].map(p => p.cellIndex));
  const transformedCells = cells.map(index => {
    const facts = analysis.facts.get(index)!;
    // Parameters and metrics cells are no step's cells: what they would display, a pipeline does not show.
    const shows = !parameterOrMetricCells.has(index);
    const cellOptions = shows ? transformOptions : { ...transformOptions, showResult: undefined };
    return { index, cell: transformCell(facts.js, facts.sourceType, notebookDir, cellOptions) };
  });
  const builder = header(
    'all cells in order',
    notebookPath,
    transformedCells.flatMap(t => t.cell.imports),
    ir.kernel
  );
  const stepAt = new Map(ir.steps.filter(s => s.ins.length > 0).map(s => [s.cells[0]!, s]));
  const parameterCells = new Set(ir.parameters.map(p => p.cellIndex));
  const preludeClasses = new Map(
    ir.prelude.map(p => [
      p.cellIndex,
      analysis.facts
        .get(p.cellIndex)!
        .defines.filter(d => d.kind === 'class')
        .map(d => d.name)
    ])
  );
  builder.line(`await ${RUNTIME}.run(async () => {`);
  declareAssignedNames(builder, cells, analysis.facts);
  for (const { index, cell } of transformedCells) {
    const step = options.observe ? stepAt.get(index) : undefined;
    if (step) {
      const loads = step.ins.map(input => `${input.name}: () => ${input.name}`).join(', ');
      builder.line(`await ${RUNTIME}.observe(${JSON.stringify(step.name)}, { ${loads} });`);
    }
    builder.cell(index, 'notebook', cell.body);
    if (options.observe && parameterCells.has(index)) {
      for (const parameter of ir.parameters.filter(p => p.cellIndex === index)) {
        const name = JSON.stringify(parameter.name);
        builder.line(`${parameter.name} = ${RUNTIME}.parameterOverride(${name}, ${parameter.name});`);
      }
    }
    const classes = preludeClasses.get(index) ?? [];
    if (options.observe && classes.length > 0) builder.line(`${RUNTIME}.registerClasses({ ${classes.join(', ')} });`);
    const functions = options.observe ? preludeFunctions(ir, analysis.facts, index) : [];
    if (functions.length > 0) builder.line(`${RUNTIME}.registerFunctions({ ${guarded(functions)} });`);
  }
  builder.line(`${RUNTIME}.reportMetrics({ ${ir.metrics.map(m => `${m.name}: () => ${m.name}`).join(', ')} });`);
  builder.line('});');
  return { program: builder.toString(), lineMap: builder.lineMap };
}

/** Functions that `functions` cells declare (of one cell, or all): data referencing one loads it by name. */
function preludeFunctions(ir: PipelineIR, facts: ReadonlyMap<number, CellFacts>, cellIndex?: number): string[] {
  return ir.prelude
    .filter(p => p.kind === 'functions' && (cellIndex === undefined || p.cellIndex === cellIndex))
    .flatMap(p =>
      facts
        .get(p.cellIndex)!
        .defines.filter(d => d.kind === 'function')
        .map(d => d.name)
    );
}

/** `typeof` guards: a function whose statement the step's prelude left out is simply not there. */
function guarded(names: readonly string[]): string {
  return names.map(name => `${name}: typeof ${name} === 'undefined' ? undefined : ${name}`).join(', ');
}

function header(what: string, notebookPath: string, imports: string[], kernel: string): ProgramBuilder {
  // Only ijavascript's cells can end later than their code (`$$.async()`): only its programs wait after each.
  const builder = new ProgramBuilder(RUNTIME, { awaitCells: IJAVASCRIPT_KERNELS.has(kernel) });
  builder.line(`// Generated by cellflow from ${sourceText(notebookPath)}: ${what}. Recompiling overwrites it.`);
  builder.line(`import { startStep as __cellflowStart } from ${JSON.stringify(RUNTIME_URL)};`);
  builder.line(`import { createRequire as __cellflowCreateRequire } from 'node:module';`);
  for (const statement of [...new Set(imports)]) builder.line(statement);
  builder.line(`const require = __cellflowCreateRequire(${sourceText(notebookPath)});`);
  builder.line(`const __filename = ${sourceText(notebookPath)};`);
  builder.line(`const __dirname = ${sourceText(dirname(notebookPath))};`);
  builder.line(`const ${RUNTIME} = await __cellflowStart(import.meta.url);`);
  if (IJAVASCRIPT_KERNELS.has(kernel)) builder.line(`${RUNTIME}.provideKernelGlobals('ijavascript');`);
  return builder;
}

/** Strict-mode modules reject assignment to undeclared names, which kernels allow: declare them up front. */
function declareAssignedNames(builder: ProgramBuilder, cells: number[], facts: ReadonlyMap<number, CellFacts>): void {
  const names = new Set<string>();
  for (const cellIndex of cells) {
    for (const d of facts.get(cellIndex)?.defines ?? []) if (d.how === 'assign') names.add(d.name);
  }
  if (names.size > 0) builder.line(`var ${[...names].join(', ')};`);
}
