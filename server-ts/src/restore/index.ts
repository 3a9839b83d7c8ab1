/**
 * `cellflow restore`: a run's step brought back into a new folder — the workspace files as of that step, the
 * notebook with its parameters cell set to the run's values, and `.cellflow-restore/` with the step's values
 * and `restore.json`, what the kernel loader (`restore-kernel/`) needs to load them and replay the rest.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { analyzeNotebook } from '../analyze/index.js';
import { restoreError, snapshotError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { RunView, StepRecord } from '../engine/types.js';
import type { PipelineIR } from '../ir.js';
import { cellSource } from '../notebook/nbformat.js';
import { kernelRuntime } from '../notebook/language.js';
import { parseNotebook } from '../notebook/read.js';
import { writeNotebookFile } from '../notebook/file.js';
import { materialize } from '../snapshots/index.js';
import { chooseStep, findRun } from './find-run.js';
import { setParameterValues } from './parameters-cell.js';
import { planReplay, type ReplayCell } from './replay-plan.js';
import { gatherStepValues } from './step-values.js';
import { RESTORE_DIR, type RestoreRecord } from '../restore-kernel/restore-file.js';

export { RESTORE_DIR };

/** `.cellflow-restore/restore.json`: one declaration, with the checks that read it (`restore-kernel/restore-file.ts`). */
export type RestoreFile = RestoreRecord;

export interface RestoreOptions {
  /** The notebook's folder: its `.cellflow` holds the runs and experiments. */
  workspace: string;
  /** A run id or an experiment id. */
  id: string;
  step?: string;
  into?: string;
}

export interface RestoreResult {
  folder: string;
  notebook: string;
  runId: string;
  step: string;
  values: string[];
  replay: RestoreFile['replay'];
  notRestored: RestoreFile['notRestored'];
}

export async function restoreRun(options: RestoreOptions): Promise<RestoreResult> {
  const workspace = resolve(options.workspace);
  const found = await findRun(workspace, options.id);
  const { run } = found;
  const step = chooseStep(run, options.step);
  const stem = basename(run.notebookPath, extname(run.notebookPath));
  const folder = resolve(options.into ?? join(workspace, 'restored', `${stem}-${run.id.slice(0, 10)}-${step}`));
  if (existsSync(folder) && readdirSync(folder).length > 0)
    throw new CellflowError(snapshotError.targetNotEmpty(folder));

  // The workspace files first (materialize makes the folder whole or not at all), then what is added to them.
  // `workspaceSnapshot` comes with the per-step snapshots (issue 9, contract §1); until then the run's own.
  const stepRecord = run.steps[step]! as StepRecord & { workspaceSnapshot?: string };
  const workspaceSnapshot = stepRecord.workspaceSnapshot ?? run.snapshot;
  if (workspaceSnapshot) await materialize(workspace, workspaceSnapshot, folder);
  try {
    return await fillRestoredFolder(found, step, folder, workspace);
  } catch (error) {
    rmSync(folder, { recursive: true, force: true }); // a refused restore leaves no half-made folder
    throw error;
  }
}

async function fillRestoredFolder(
  found: Awaited<ReturnType<typeof findRun>>,
  step: string,
  folder: string,
  workspace: string
): Promise<RestoreResult> {
  const { run } = found;
  mkdirSync(folder, { recursive: true });
  const notebookName = basename(run.notebookPath);
  const notebookFile = join(folder, notebookName);
  const source = existsSync(notebookFile) ? notebookFile : run.notebookPath;
  if (!existsSync(source)) throw new CellflowError(restoreError.notebookMissing(run.id, run.notebookPath));
  const doc = parseNotebook(readFileSync(source, 'utf8'));
  const analysis = analyzeNotebook(doc.json);
  const { ir } = analysis;

  const stateTarget = join(folder, RESTORE_DIR, 'state');
  const gathered = await withStepFolder(run, step, workspace, dir =>
    gatherStepValues(join(dir, 'state'), outputsDirOf(run, step, dir), stateTarget)
  );

  const restored = new Set(gathered.values);
  const stepIr = ir.steps.find(s => s.name === step);
  const prelude = new Set([...ir.prelude.flatMap(p => p.defines), ...ir.parameters.map(p => p.name)]);
  const cells: ReplayCell[] = (stepIr?.cells ?? []).map(cellIndex => {
    const facts = analysis.facts.get(cellIndex);
    const writes = new Set([...(facts?.defines.map(d => d.name) ?? []), ...Object.values(facts?.writes ?? {}).flat()]);
    return { cellIndex, writes: [...writes], reads: facts?.reads.map(r => r.name) ?? [] };
  });
  const plan = planReplay({ cells, restored, prelude, unsaved: gathered.unsaved.map(u => u.name) });
  const reasons = new Map(gathered.unsaved.map(u => [u.name, u.reason]));
  const notRestored = plan.notRestored.map(n => ({
    name: n.name,
    reason: `${reasons.get(n.name) ?? 'it was not saved'}; ${n.reason}`
  }));

  setRunParameters(doc.json.cells, ir, run, ir.language);
  const metadata = (doc.json.metadata.cellflow ??= {});
  metadata.restored = { runId: run.id, step, stateFile: `${RESTORE_DIR}/restore.json` };
  await writeNotebookFile(notebookFile, doc, { allowUpgrade: true });

  const restoreFile: RestoreFile = {
    version: 1,
    runId: run.id,
    ...(found.experimentId ? { experimentId: found.experimentId, trial: found.trial } : {}),
    step,
    notebook: notebookName,
    runtime: kernelRuntime(ir.kernel),
    prelude: [...new Set([...ir.prelude.map(p => p.cellIndex), ...ir.parameters.map(p => p.cellIndex)])].sort(
      (a, b) => a - b
    ),
    values: gathered.values,
    replay: { cells: plan.cells, names: plan.names },
    notRestored
  };
  writeFileSync(join(folder, RESTORE_DIR, 'restore.json'), JSON.stringify(restoreFile, null, 2) + '\n');
  return {
    folder,
    notebook: notebookFile,
    runId: run.id,
    step,
    values: restoreFile.values,
    replay: restoreFile.replay,
    notRestored
  };
}

/** Runs `use` on the step's folder: its snapshot materialized (hash-checked) when there is one, else the run's. */
async function withStepFolder<T>(run: RunView, step: string, workspace: string, use: (dir: string) => T): Promise<T> {
  const snapshot = run.steps[step]!.snapshot;
  if (snapshot) {
    const scratch = mkdtempSync(join(workspace, '.cellflow', 'restore-'));
    try {
      const dir = join(scratch, 'step');
      await materialize(workspace, snapshot, dir);
      return checked(run, step, dir, use);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  if (!run.dir) throw new CellflowError(restoreError.stepFilesMissing(run.id, step, 'the run has no folder here'));
  return checked(run, step, join(run.dir, 'steps', step), use);
}

function checked<T>(run: RunView, step: string, dir: string, use: (dir: string) => T): T {
  if (!existsSync(join(dir, 'state', 'refs.json')))
    throw new CellflowError(restoreError.stepFilesMissing(run.id, step, `no saved state in ${join(dir, 'state')}`));
  return use(dir);
}

/** The step's outputs: in the step's folder (or its snapshot), else where the record says (a cache entry). */
function outputsDirOf(run: RunView, step: string, stepDir: string): string | undefined {
  const own = join(stepDir, 'outputs');
  if (existsSync(own)) return own;
  const recorded = run.steps[step]!.outputsDir;
  return recorded && existsSync(recorded) ? recorded : undefined;
}

/** Each parameters cell gets the run's values, written as literals. */
function setRunParameters(
  cells: { source: string | string[] }[],
  ir: PipelineIR,
  run: RunView,
  language: PipelineIR['language']
): void {
  for (const cellIndex of new Set(ir.parameters.map(p => p.cellIndex))) {
    const cell = cells[cellIndex]!;
    cell.source = setParameterValues(cellSource(cell as never), language, run.parameters);
  }
}
