/** The command line that runs one step program on its runtime, with the step's memory limit as its heap limit. */
import type { StepSettings } from '../../ir.js';
import { heapLimitMiB } from '../../annotations/quantity.js';
import { loaderArguments, type ModuleLoader } from '../../compile/local/module-loader.js';

export function stepCommand(
  programFile: string,
  settings: StepSettings,
  loader: ModuleLoader | undefined
): [string, ...string[]] {
  const memory = settings.limits.memory;
  const heap = memory === undefined ? undefined : heapLimitMiB(memory);
  return [
    process.execPath,
    ...(heap === undefined ? [] : [`--max-old-space-size=${heap}`]),
    ...loaderArguments(loader),
    programFile
  ];
}
