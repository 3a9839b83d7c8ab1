/**
 * Experiments on disk: `.cellflow/experiments/<id>/experiment.json` beside the notebook, written
 * atomically after every change (write-file-atomic), so a killed tuner leaves a record it resumes from.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { tuneError } from '../diagnostics/codes.js';
import { CellflowError, type Diagnostic } from '../diagnostics/diagnostic.js';
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
    return this.read(id);
  }

  /** Every experiment here, newest first (ids are ULIDs); one whose record cannot be read is listed apart. */
  list(): { records: ExperimentRecord[]; unreadable: { id: string; diagnostic: Diagnostic }[] } {
    const dir = join(this.stateDir, 'experiments');
    const records: ExperimentRecord[] = [];
    const unreadable: { id: string; diagnostic: Diagnostic }[] = [];
    if (!existsSync(dir)) return { records, unreadable };
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !existsSync(this.file(entry.name))) continue;
      try {
        records.push(this.read(entry.name));
      } catch (error) {
        unreadable.push({
          id: entry.name,
          diagnostic: tuneError.experimentUnreadable(this.file(entry.name), (error as Error).message)
        });
      }
    }
    records.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return { records, unreadable };
  }

  private read(id: string): ExperimentRecord {
    return JSON.parse(readFileSync(this.file(id), 'utf8')) as ExperimentRecord;
  }
}
