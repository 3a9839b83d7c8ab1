/**
 * Which engine holds a run. The local engine keeps runs beside each notebook (`.cellflow/` in its folder, as
 * `cellflow run` does), so the server has one engine per notebook folder it has been asked about, and finds a
 * run by id among them; a request may name the notebook (`?path=`) to say where to look after a restart.
 */
import path from 'node:path';
import { commandError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { Engine, RunView } from '../engine/types.js';

export type EngineFactory = (workspaceDir: string) => Engine;

export class RunLocator {
  private readonly engines = new Map<string, Engine>();

  constructor(private readonly createEngine: EngineFactory) {}

  /** The engine for the runs of the notebook at this (absolute, confined) path. */
  forNotebook(notebookPath: string): Engine {
    const dir = path.dirname(notebookPath);
    let engine = this.engines.get(dir);
    if (!engine) {
      engine = this.createEngine(dir);
      this.engines.set(dir, engine);
    }
    return engine;
  }

  /** The engine holding the run and its view; `unknown-run` when no folder seen so far has it. */
  async find(runId: string): Promise<{ engine: Engine; run: RunView }> {
    for (const engine of this.engines.values()) {
      try {
        return { engine, run: await engine.get(runId) };
      } catch (error) {
        if (!(error instanceof CellflowError && error.diagnostic.code === 'unknown-run')) throw error;
      }
    }
    const unknown = commandError.unknownRun(runId, "the notebooks' folders this server has been asked about");
    throw new CellflowError({
      ...unknown,
      hint: "`GET /api/runs?path=<notebook>` lists a notebook's runs; add `?path=<notebook>` to say where this one is."
    });
  }
}
