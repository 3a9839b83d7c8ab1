/**
 * Optuna's TPE as an oracle, run by `optuna_oracle.py` with the repository's `.venv` (made by
 * scripts/dev-env.sh, which installs the pinned optuna). Null, with the reason, when it cannot run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, serverRoot } from '../paths.js';
import type { TestFunction } from './functions.js';

const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(serverRoot, 'test', 'tune', 'optuna_oracle.py');

export type OptunaResult = { version: string; best: number[] } | { unavailable: string };

export function runOptuna(
  fn: TestFunction,
  trials: number,
  seeds: readonly number[],
  multivariate: boolean
): OptunaResult {
  if (!existsSync(python))
    return { unavailable: `${python} is missing: run scripts/dev-env.sh to make .venv with optuna` };
  const request = JSON.stringify({ function: fn.name, trials, seeds, multivariate });
  const child = spawnSync(python, [script, request], { encoding: 'utf8' });
  if (child.status === 3) return { unavailable: `optuna is not installed in ${python}: run scripts/dev-env.sh` };
  if (child.status !== 0) throw new Error(`optuna_oracle.py failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as { version: string; best: number[] };
}
