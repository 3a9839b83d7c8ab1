/**
 * Experiments on disk: `.cellflow/experiments/<id>/experiment.json` beside the notebook, written
 * atomically after every change (write-file-atomic), so a killed tuner leaves a record it resumes from.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { tuneError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import type { ExperimentRecord, ExperimentStore } from './experiment.js';

export class ExperimentFiles implements ExperimentStore {
  constructor(private readonly stateDir: string) {}

  private file(id: string): string {
    return join(this.stateDir, 'experiments', id, 'experiment.json');
  }

  save(record: ExperimentRecord): void {
    mkdirSync(join(this.stateDir, 'experiments', record.id), { recursive: true });
    writeFileAtomic.sync(this.file(record.id), JSON.stringify(record, null, 2) + '\n');
  }

  load(id: string): ExperimentRecord {
    // An id is a ULID: anything else (a path, `..`) names no experiment.
    if (!/^[0-9A-Za-z-]+$/.test(id) || !existsSync(this.file(id)))
      throw new CellflowError(tuneError.unknownExperiment(id, this.stateDir));
    return JSON.parse(readFileSync(this.file(id), 'utf8')) as ExperimentRecord;
  }
}
