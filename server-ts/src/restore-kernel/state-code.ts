/**
 * The code "Restore state" runs in the user's kernel: the restored notebook's prelude cells (imports,
 * functions), then every saved value loaded through `.cellflow-restore/loader.cjs` and declared as a top-level
 * binding, then the cells that recompute what could not be saved, then a printed summary. It is plain code in
 * the user's own kernel (no side channel): what it declares is what the user's next cell sees.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { restoreKernelError } from '../diagnostics/codes.js';
import { CellflowError } from '../diagnostics/diagnostic.js';
import { definitions, kernelProgram } from './kernel-program.js';
import { LOADER_FILE } from './loader.js';
import type { RestoreSummary } from './loader-entry.js';
import { RESTORE_DIR, RESTORE_FILE, type RestoreRecord } from './restore-file.js';

export const restoreKernels = ['tslab', 'deno', 'jslab', 'ijavascript'] as const;
export type RestoreKernel = (typeof restoreKernels)[number];

export interface StateCodeOptions {
  kernel: RestoreKernel;
  /** The restored folder (holds the notebook and `.cellflow-restore/`). */
  folder: string;
}

const identifier = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u;
/** Words a binding may not be named (strict mode and modules, which tslab and Deno cells are). */
const reserved = new Set(
  (
    'await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if implements import in instanceof interface let new null package private protected ' +
    'public return static super switch this throw true try typeof var void while with yield arguments eval'
  ).split(' ')
);

/** The code to execute in the kernel; refuses (coded) a name that is not a variable name or an unknown kernel. */
export function restoreStateCode(record: RestoreRecord, options: StateCodeOptions): string {
  const { kernel, folder } = options;
  if (!(restoreKernels as readonly string[]).includes(kernel)) {
    throw new CellflowError(restoreKernelError.unknownKernel(String(kernel), restoreKernels));
  }
  for (const name of [...record.values, ...record.replay.names]) assertBindingName(name);
  const sources = notebookSources(record, folder);
  const stateDir = join(folder, RESTORE_DIR, 'state');
  const loaderPath = join(folder, RESTORE_DIR, LOADER_FILE);
  const needs = requiredDefinitions(stateDir);
  const summary: RestoreSummary = {
    restored: record.values,
    replayed: record.replay,
    notRestored: record.notRestored
  };
  const prelude = record.prelude.map(cell => cellCode(sources, cell, 'prelude'));
  const replay = record.replay.cells.map(cell => cellCode(sources, cell, 'replayed'));
  const loadCall =
    `$cellflowLoader.loadState(${JSON.stringify(stateDir)}, ${JSON.stringify(record.values)}, ` +
    `{ step: ${JSON.stringify(record.step)}, classes: ${definitions(needs.classes)}, ` +
    `functions: ${definitions(needs.functions)} })`;
  const header = `// cellflow: Restore state of step ${JSON.stringify(record.step)} of run ${JSON.stringify(record.runId)}`;

  if (kernel === 'ijavascript') {
    // ijavascript has no top-level await: the values become globals once loaded, inside `$$.async()`.
    const summaryCall = `$cellflowLoader.printSummary(${JSON.stringify(ijavascriptSummary(summary, record))})`;
    return [
      header,
      ...prelude,
      `var $cellflowLoader = require(${JSON.stringify(loaderPath)});`,
      '$$.async();',
      `${loadCall}.then($cellflowState => {`,
      ...record.values.map(name => `  globalThis[${JSON.stringify(name)}] = $cellflowState[${JSON.stringify(name)}];`),
      `  ${summaryCall};`,
      '  $$.done();',
      '}, error => $$.sendError(error));',
      ''
    ].join('\n');
  }

  if (kernel === 'tslab' || kernel === 'jslab') return programCode(record, options, sources, needs, summary, header);

  // Helper names start with `$`, not `__`: tslab mangles identifiers that start with two underscores.
  const requireLoader = `(await import('node:module')).createRequire(${JSON.stringify(pathToFileURL(loaderPath).href)})(${JSON.stringify(loaderPath)})`;
  return [
    header,
    ...prelude,
    `var $cellflowLoader: any = ${requireLoader};`,
    `var $cellflowState: any = await ${loadCall};`,
    ...record.values.map(name => `let ${name}: any = $cellflowState[${JSON.stringify(name)}];`),
    ...replay,
    `$cellflowLoader.printSummary(${JSON.stringify(summary)});`,
    ''
  ].join('\n');
}

/**
 * tslab and jslab: the prelude, the load and the replayed cells run as one JavaScript program in the loader
 * (`kernel-program.ts`), so the kernel type-checks only the lines that bind what it defined, each as `any`, and
 * (tslab) the prelude's type names as `any` aliases, so later cells that name them still check.
 */
function programCode(
  record: RestoreRecord,
  { kernel, folder }: StateCodeOptions,
  sources: string[],
  needs: { classes: string[]; functions: string[] },
  summary: RestoreSummary,
  header: string
): string {
  const program = kernelProgram({
    sources,
    language: kernel === 'tslab' ? 'typescript' : 'javascript',
    prelude: record.prelude,
    values: record.values,
    replay: record.replay,
    needs
  });
  for (const name of program.names) assertBindingName(name);
  for (const { name } of program.types) assertBindingName(name);
  const any = kernel === 'tslab' ? ': any' : '';
  const options = {
    filename: join(folder, record.notebook),
    stateDir: join(folder, RESTORE_DIR, 'state'),
    values: record.values,
    step: record.step
  };
  const loaderPath = join(folder, RESTORE_DIR, LOADER_FILE);
  return [
    header,
    `// The prelude (cell(s) ${record.prelude.map(cell => cell + 1).join(', ') || '-'}), the saved values and the cell(s) to replay, run by the loader.`,
    // `require` through eval: a notebook folder without @types/node has no type for the name, and tslab refuses it.
    `var $cellflowRequire${any} = eval('require');`,
    `var $cellflowLoader${any} = $cellflowRequire(${JSON.stringify(loaderPath)});`,
    `var $cellflowRestored${any} = await $cellflowLoader.runRestore(${JSON.stringify(program.js)}, { require: $cellflowRequire, ...${JSON.stringify(options)} });`,
    ...program.names.map(name => `let ${name}${any} = $cellflowRestored[${JSON.stringify(name)}];`),
    ...program.types.map(({ name, params }) => `type ${name}${typeParameters(params)} = any;`),
    `$cellflowLoader.printSummary(${JSON.stringify(summary)});`,
    ''
  ].join('\n');
}

/** `<T0 = any, T1 = any>`: optional, so the name works with as many type arguments as it took, or none. */
function typeParameters(count: number): string {
  if (count === 0) return '';
  return `<${Array.from({ length: count }, (_, i) => `$T${i} = any`).join(', ')}>`;
}

/** The summary the frontend shows: the same lists the kernel prints. */
export function restoreSummary(record: RestoreRecord, kernel: RestoreKernel): RestoreSummary {
  return kernel === 'ijavascript'
    ? ijavascriptSummary({ restored: record.values, replayed: record.replay, notRestored: record.notRestored }, record)
    : { restored: record.values, replayed: record.replay, notRestored: record.notRestored };
}

/** On ijavascript the replay cells cannot follow the asynchronous load in one execution: the user runs them. */
function ijavascriptSummary(summary: RestoreSummary, record: RestoreRecord): RestoreSummary {
  if (record.replay.cells.length === 0) return summary;
  const cells = record.replay.cells.map(cell => cell + 1).join(', ');
  return {
    restored: summary.restored,
    replayed: { cells: [], names: [] },
    notRestored: [
      ...summary.notRestored,
      ...record.replay.names.map(name => ({
        name,
        reason: `ijavascript cannot replay after an asynchronous load; run cell(s) ${cells} yourself`
      }))
    ]
  };
}

function assertBindingName(name: string): void {
  if (!identifier.test(name) || reserved.has(name)) {
    throw new CellflowError(restoreKernelError.badRestoredName(name));
  }
}

function notebookSources(record: RestoreRecord, folder: string): string[] {
  const file = isAbsolute(record.notebook) ? record.notebook : join(folder, record.notebook);
  const where = join(folder, RESTORE_DIR, RESTORE_FILE);
  let cells: unknown;
  try {
    cells = (JSON.parse(readFileSync(file, 'utf8')) as { cells?: unknown }).cells;
  } catch (error) {
    throw new CellflowError(
      restoreKernelError.restoreFileInvalid(where, `its notebook ${file} cannot be read (${(error as Error).message})`)
    );
  }
  if (!Array.isArray(cells)) {
    throw new CellflowError(restoreKernelError.restoreFileInvalid(where, `its notebook ${file} has no cells`));
  }
  return cells.map((cell: { cell_type?: unknown; source?: unknown }) =>
    cell?.cell_type !== 'code' ? '' : Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '')
  );
}

function cellCode(sources: readonly string[], cell: number, what: string): string {
  const source = sources[cell];
  if (source === undefined) {
    throw new CellflowError(
      restoreKernelError.restoreFileInvalid(RESTORE_FILE, `its ${what} cell ${cell + 1} is not in the notebook`)
    );
  }
  return `// cell ${cell + 1}\n${source}`;
}

/** The `functions`-cell classes and functions the saved values need (from the state's manifests). */
function requiredDefinitions(stateDir: string): { classes: string[]; functions: string[] } {
  const classes = new Set<string>();
  const functions = new Set<string>();
  let files: string[] = [];
  try {
    files = readdirSync(stateDir).filter(file => file.endsWith('.json') && !file.startsWith('.'));
  } catch {
    // no state folder: loading names what is missing
  }
  for (const file of files) {
    let manifest: { format?: unknown; requires?: { registry?: unknown; name?: unknown }[] };
    try {
      manifest = JSON.parse(readFileSync(join(stateDir, file), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.format !== 'cellflow-value') continue;
    for (const need of manifest.requires ?? []) {
      if (typeof need.name !== 'string') continue;
      assertBindingName(need.name);
      (need.registry === 'function' ? functions : classes).add(need.name);
    }
  }
  return { classes: [...classes].sort(), functions: [...functions].sort() };
}
