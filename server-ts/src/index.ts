/**
 * cellflow's backend as a library, in the order data flows through it:
 * read a notebook, analyze it into the pipeline IR, compile it for a target,
 * run it on an engine. The CLI (cli/) and the HTTP API (http/) are thin
 * shells over these functions.
 */
export { parseNotebook, type NotebookDocument } from './notebook/read.js';
export { serializeNotebook } from './notebook/write.js';
export { readNotebookFile, writeNotebookFile } from './notebook/file.js';
export { detectLanguage } from './notebook/language.js';
export { readCellAnnotation, writeCellAnnotation, type CellAnnotation } from './annotations/tags.js';
export { readNotebookSettings } from './annotations/settings.js';
export { analyzeNotebook, type Analysis, type AnalyzeOptions } from './analyze/index.js';
export { CellFactsCache } from './analyze/cell-cache.js';
export type * from './ir.js';
export { CellflowError, formatDiagnostic, hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
export { compileNotebookFile, NotebookHasErrors, type CompiledNotebook } from './compile/index.js';
export { compileLocal, compileStraightThrough, type CompiledLocal } from './compile/local/emit.js';
export type { LocalPlan, PlanStep } from './compile/local/plan.js';
export { LocalEngine, LocalRun, type LocalEngineOptions } from './engine/local/engine.js';
export { RunStore } from './engine/local/run-store.js';
export { runStraightThrough } from './engine/local/straight-run.js';
export { parseParameterOverrides, resolveParameterValues } from './engine/parameter-values.js';
export type {
  Engine,
  RunEvent,
  RunFile,
  RunHandle,
  RunRecord,
  RunStatus,
  RunView,
  SequencedRunEvent,
  StepLogs,
  StepRecord,
  StepStatus,
  SubmitOptions
} from './engine/types.js';
export { applyRunEvent } from './engine/run-view.js';
export { createServer, type CellflowServer, type CreateServerOptions } from './http/index.js';
export { version } from './version.js';
