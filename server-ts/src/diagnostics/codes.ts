/**
 * Every diagnostic cellflow reports, one named function each: the code, the
 * message for people and the hint on what to do live here and nowhere else.
 */
import type { Diagnostic, Place, Severity } from './diagnostic.js';

function make<C extends string>(
  code: C,
  severity: Severity,
  place: Place,
  message: string,
  hint: string
): Diagnostic & { code: C } {
  return {
    code,
    severity,
    message,
    hint,
    cellIndex: place.cellIndex,
    line: place.line ?? null,
    column: place.column ?? null
  };
}

const nowhere: Place = { cellIndex: null };
const list = (names: readonly string[]) => names.map(n => `\`${n}\``).join(', ');

/** Problems with the notebook file itself: these stop a command. */
export const notebookError = {
  malformedJson: (detail: string) =>
    make(
      'notebook-malformed-json',
      'error',
      nowhere,
      `The notebook is not valid JSON: ${detail}.`,
      'Open it in JupyterLab or a text editor and fix the JSON, or restore it from a checkpoint.'
    ),
  notANotebook: (why: string) =>
    make(
      'notebook-invalid',
      'error',
      nowhere,
      `The file is not a Jupyter notebook: ${why}.`,
      'Pass an .ipynb file saved by Jupyter (nbformat 4).'
    ),
  unsupportedNbformat: (major: number) =>
    make(
      'notebook-unsupported-nbformat',
      'error',
      nowhere,
      `The notebook uses nbformat ${major}; cellflow reads nbformat 4, and 3 upgraded as Jupyter does.`,
      'Open and save it in JupyterLab, or run `jupyter nbconvert --to notebook --nbformat 4`, to upgrade it.'
    ),
  notARegularFile: (path: string, kind: string) =>
    make(
      'notebook-not-a-file',
      'error',
      nowhere,
      `${path} is ${kind}, not a notebook file.`,
      'Pass the path of an .ipynb file saved by Jupyter.'
    ),
  tooLarge: (path: string, size: number, limit: number) =>
    make(
      'notebook-too-large',
      'error',
      nowhere,
      `${path} is ${Math.ceil(size / 1024 / 1024)} MB; cellflow reads notebooks up to ${limit / 1024 / 1024} MB.`,
      'Clear the outputs (JupyterLab: Edit > Clear Outputs of All Cells, or `jupyter nbconvert --clear-output --inplace`) and save it.'
    ),
  upgradedNotWritten: (path: string, major: number) =>
    make(
      'notebook-upgraded-not-written',
      'error',
      nowhere,
      `${path} is an nbformat ${major} notebook, read upgraded to nbformat 4; cellflow does not write it back, which would change its format.`,
      'Open and save it in JupyterLab, or run `jupyter nbconvert --to notebook --nbformat 4 --inplace`, to upgrade the file first.'
    ),
  malformedCell: (cellIndex: number, why: string) =>
    make(
      'notebook-malformed-cell',
      'error',
      { cellIndex },
      `Cell ${cellIndex + 1} is malformed: ${why}.`,
      'Fix the cell in a text editor, or delete and recreate it in JupyterLab.'
    ),
  pythonNotSupported: (kernel: string) =>
    make(
      'notebook-python-not-supported',
      'error',
      nowhere,
      `The notebook runs on a Python kernel (${kernel}); cellflow supports JavaScript and TypeScript notebooks only, not Python yet.`,
      'Use Kale for Python notebooks, or switch the notebook to a tslab, Deno or ijavascript kernel.'
    ),
  unknownLanguage: (named: string) =>
    make(
      'notebook-unknown-language',
      'error',
      nowhere,
      named
        ? `The notebook's kernel or language "${named}" is not one cellflow knows.`
        : 'The notebook names no kernel or language.',
      'Set the kernel to tslab or deno (TypeScript), or jslab or ijavascript (JavaScript), in JupyterLab and save.'
    )
};

/** Problems with cell tags. */
export const tagError = {
  invalidStepName: (cellIndex: number, name: string) =>
    make(
      'invalid-step-name',
      'error',
      { cellIndex },
      `"${name}" is not a valid step name.`,
      'Step names are lower-case letters, digits and underscores, starting with a letter or underscore (e.g. `load_data`).'
    ),
  invalidTagValue: (cellIndex: number, tag: string, expected: string) =>
    make('invalid-tag-value', 'error', { cellIndex }, `The tag "${tag}" has an invalid value.`, expected),
  stepSettingWithoutStep: (cellIndex: number, tag: string) =>
    make(
      'step-setting-without-step',
      'error',
      { cellIndex },
      `The tag "${tag}" sets a step option, but the cell has no \`step:\` tag.`,
      'Add a `step:<name>` tag to this cell, or move the tag to the first cell of the step.'
    ),
  prevWithoutStep: (cellIndex: number, tag: string) =>
    make(
      'prev-without-step',
      'error',
      { cellIndex },
      `The tag "${tag}" names a dependency, but the cell has no \`step:\` tag.`,
      'Add a `step:<name>` tag to this cell, or remove the `prev:` tag.'
    ),
  stepAfterMetrics: (cellIndex: number, step: string) =>
    make(
      'step-after-metrics',
      'error',
      { cellIndex },
      `Step \`${step}\` comes after the \`pipeline-metrics\` cell.`,
      'Move the `pipeline-metrics` cell to the end of the notebook: metrics are reported when all steps are done.'
    ),
  unknownPrev: (cellIndex: number, step: string, prev: string) =>
    make(
      'unknown-prev',
      'error',
      { cellIndex },
      `Step \`${step}\` depends on \`${prev}\`, but no step has that name.`,
      "Fix the `prev:` tag to name an existing step, or tag the missing step's cell `step:" + prev + '`.'
    ),
  laterPrev: (cellIndex: number, step: string, prev: string) =>
    make(
      'later-prev',
      'error',
      { cellIndex },
      `Step \`${step}\` depends on \`${prev}\`, which only appears later in the notebook.`,
      'Dependencies must name earlier steps: move this cell below the first cell of `' +
        prev +
        '`, or remove the `prev:` tag.'
    ),
  dependencyCycle: (cellIndex: number, cycle: readonly string[]) =>
    make(
      'dependency-cycle',
      'error',
      { cellIndex },
      `The steps depend on each other in a cycle: ${cycle.join(' → ')}.`,
      'Remove one of the `prev:` tags in the cycle so the steps can run in order.'
    ),
  untaggedLeadingCell: (cellIndex: number) =>
    make(
      'untagged-cell',
      'warning',
      { cellIndex },
      'This code cell belongs to no step, so the pipeline never runs it.',
      'Tag it `imports`, `functions`, `pipeline-parameters` or `step:<name>`, or tag it `skip` to silence this warning.'
    ),
  wholeNotebookOneStep: (firstCell: number) =>
    make(
      'untagged-notebook',
      'warning',
      { cellIndex: firstCell },
      'The notebook has no step tags, so it runs as one step, `main`: all its code cells in order, as the kernel runs them.',
      'To split it into steps that run in parallel and are cached one by one, tag cells `step:<name>` (with `prev:<name>` for what each needs).'
    ),
  noSteps: () =>
    make(
      'no-steps',
      'warning',
      nowhere,
      'The notebook has no steps, so its pipeline does nothing.',
      'Tag the cells that do the work with `step:<name>` in the cellflow sidebar or the cell tags editor.'
    )
};

/** Problems found in cell code. */
export const codeError = {
  kernelGlobalUnavailable: (place: Place, step: string, name: string, what: string) =>
    make(
      'kernel-global-unavailable',
      'error',
      place,
      `Step \`${step}\` uses \`${name}\`, ${what}, which the kernel provides but a pipeline step (a plain Node process) does not: the step would fail with a ReferenceError.`,
      name === 'Deno'
        ? "Switch the notebook to the Deno kernel (its steps then run on Deno), or use Node's APIs (`node:fs`, `process.env`, …), or keep this cell out of the pipeline with the `skip` tag."
        : 'Print what you want to see (`console.log`) or write it to a file, or keep this cell out of the pipeline with the `skip` tag.'
    ),
  parse: (place: Place, detail: string) =>
    make(
      'parse-error',
      'error',
      place,
      `The cell does not parse: ${detail}.`,
      'Fix the syntax error; the kernel would reject this cell too.'
    ),
  reservedName: (place: Place, name: string, why: string) =>
    make(
      'reserved-name',
      'error',
      place,
      `\`${name}\` cannot be a variable of a pipeline: ${why}.`,
      `Rename the variable (e.g. \`${name.replace(/^_+/, '') || 'value'}Value\`) here and where the notebook reads it.`
    ),
  tooDeep: (place: Place, detail: string) =>
    make(
      'cell-too-deep',
      'error',
      place,
      `cellflow cannot analyze this cell: ${detail}.`,
      'Split the expression into named parts (`const inner = ...;`), or build deep data at run time (a loop, `JSON.parse`) instead of writing it out.'
    ),
  invalidParameter: (place: Place, why: string) =>
    make(
      'invalid-parameter',
      'error',
      place,
      `Pipeline parameters must be literal values: ${why}.`,
      'Write each parameter as `const name = <number | string | boolean>;` and compute derived values in a step.'
    ),
  invalidMetric: (place: Place, why: string) =>
    make(
      'invalid-metric',
      'error',
      place,
      `The pipeline-metrics cell may only name variables: ${why}.`,
      'Write one variable name per line (or `console.log(name)`), e.g. `accuracy`.'
    ),
  undefinedVariable: (place: Place, step: string, name: string) =>
    make(
      'undefined-variable',
      'error',
      place,
      `Step \`${step}\` reads \`${name}\`, but no cell defines it.`,
      `Define \`${name}\` in this step or in a step it depends on, or fix the spelling.`
    ),
  notUpstream: (place: Place, step: string, name: string, definers: readonly string[]) =>
    make(
      'not-upstream',
      'error',
      place,
      `Step \`${step}\` reads \`${name}\`, which is defined in ${list(definers)}, not in a step that \`${step}\` depends on.`,
      `Add the tag \`prev:${definers[definers.length - 1]}\` to step \`${step}\` so it runs after the step that defines \`${name}\`.`
    ),
  ambiguousProducer: (place: Place, step: string, name: string, producers: readonly string[]) =>
    make(
      'ambiguous-producer',
      'error',
      place,
      `Step \`${step}\` reads \`${name}\`, which parallel steps ${list(producers)} both define; which value it gets is undecided.`,
      `Order those steps with a \`prev:\` tag, or give \`${name}\` a different name in one of them.`
    ),
  metricUndefined: (place: Place, name: string) =>
    make(
      'metric-undefined',
      'error',
      place,
      `The metric \`${name}\` is not defined by any step.`,
      `Compute \`${name}\` in a step, or remove it from the pipeline-metrics cell.`
    ),
  ambiguousMetric: (place: Place, name: string, producers: readonly string[]) =>
    make(
      'ambiguous-metric',
      'error',
      place,
      `The metric \`${name}\` is defined by parallel steps ${list(producers)}.`,
      `Give \`${name}\` a different name in all but one of those steps, or order them with \`prev:\`.`
    ),
  unmarshallableInstance: (place: Place, name: string, className: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\`, an instance of class \`${className}\` defined in step \`${producer}\`; the class itself cannot be handed between steps, so its instances cannot be rebuilt.`,
      `Move class \`${className}\` into a cell tagged \`functions\`, which every step runs; its instances then keep their methods in every step.`
    ),
  unmarshallable: (place: Place, name: string, kind: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs the ${kind} \`${name}\` from step \`${producer}\`, but ${kind === 'import' ? 'modules' : kind === 'class' ? 'classes' : `${kind}s`} cannot be handed between steps.`,
      kind === 'import'
        ? `Move the import of \`${name}\` into a cell tagged \`imports\`, which every step runs.`
        : `Move \`${name}\` into a cell tagged \`functions\`, which every step runs.`
    ),
  unmarshallablePromise: (place: Place, name: string, via: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\` from step \`${producer}\`, but it is a promise (made by \`${via}\` without \`await\`), and promises cannot be handed between steps.`,
      `Write \`const ${name} = await ..\` so step \`${producer}\` hands on the settled value, or make the call in step \`${consumer}\`.`
    ),
  unmarshallableGenerator: (place: Place, name: string, via: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\` from step \`${producer}\`, but it is a generator object (made by calling \`${via}\`), which cannot be handed between steps.`,
      `Collect its values into an array (\`const ${name} = [...${via}(..)]\`), or call \`${via}\` in step \`${consumer}\`.`
    ),
  unmarshallableBuiltin: (place: Place, name: string, via: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\` from step \`${producer}\`, but it is made by \`${via}\`, which holds what no step can hand on (weak references, streams, sockets, servers, workers, listeners).`,
      `Recreate it in step \`${consumer}\` where it is used, or hand on its data instead (plain values, arrays, a \`Map\`).`
    ),
  unmarshallableImportedInstance: (place: Place, name: string, className: string, producer: string, consumer: string) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\` from step \`${producer}\`, an instance of the imported class \`${className}\`; instances of imported classes cannot be rebuilt in another step.`,
      `Recreate it in step \`${consumer}\` (\`new ${className}(..)\` there), or hand on its data as plain values.`
    ),
  unmarshallableClassFeature: (
    place: Place,
    name: string,
    className: string,
    member: string,
    feature: 'private' | 'accessor',
    producer: string,
    consumer: string
  ) =>
    make(
      'unmarshallable-value',
      'error',
      place,
      `Step \`${consumer}\` needs \`${name}\` from step \`${producer}\`, an instance of class \`${className}\`, whose ${feature === 'private' ? `private member \`${member}\`` : `accessor \`${member}\``} cannot be handed between steps.`,
      feature === 'private'
        ? `Make \`${member}\` an ordinary property (e.g. \`_${member.slice(1)}\`), or recreate the instance in step \`${consumer}\`.`
        : `Replace the \`get\`/\`set\` accessor \`${member}\` with a method or a plain property, or recreate the instance in step \`${consumer}\`.`
    ),
  namespaceWithValues: (place: Place, name: string) =>
    make(
      'namespace-with-values',
      'error',
      place,
      `The namespace \`${name}\` declares values, but the compiler (sucrase) drops namespaces, so no step would define \`${name}\`.`,
      `Use an object instead (\`const ${name} = { .. }\`), or declare the members at top level.`
    ),
  maybeNotUpstream: (place: Place, step: string, name: string, definers: readonly string[]) =>
    make(
      'maybe-not-upstream',
      'error',
      place,
      `Step \`${step}\` may leave \`${name}\` unassigned (the write is in a branch, loop or \`try\`, or has no value), and then the notebook keeps the value from ${list(definers)}, a step that \`${step}\` does not depend on.`,
      `Add the tag \`prev:${definers[definers.length - 1]}\` to step \`${step}\`, or give \`${name}\` a value on every path.`
    ),
  writeNotUpstream: (place: Place, step: string, name: string, writer: string, writerCell: number) =>
    make(
      'write-not-upstream',
      'error',
      place,
      `Step \`${step}\` reads \`${name}\`, which step \`${writer}\` changes before it in the notebook (cell ${writerCell + 1}); \`${writer}\` is not a step \`${step}\` depends on, so the pipeline would give it the value from before that change.`,
      `Add the tag \`prev:${writer}\` to step \`${step}\`, or store the changed value under a new name in \`${writer}\`.`
    ),
  mergedStepOrder: (place: Place, step: string, other: string, names: readonly string[]) =>
    make(
      'merged-step-order',
      'error',
      place,
      `Step \`${step}\` has cells before and after this cell of step \`${other}\`; the pipeline runs all cells of \`${step}\` together, so ${list(names)} would be read or written in another order than in the notebook.`,
      `Rename the step of the later cells of \`${step}\` (e.g. \`step:${step}_2\`), so each part runs in its place.`
    ),
  parameterRedefined: (place: Place, name: string, firstCell: number) =>
    make(
      'parameter-redefined',
      'error',
      place,
      `The parameter \`${name}\` is already defined in cell ${firstCell + 1} with another value; a pipeline parameter has one value for the whole run.`,
      `Remove this definition, or give the second parameter another name.`
    ),
  preludeReadsStepVariable: (place: Place, name: string, kind: string) =>
    make(
      'prelude-reads-step-variable',
      'error',
      place,
      `This \`${kind}\` cell reads \`${name}\`, a step variable; \`${kind}\` cells run first in every step, before any step variable exists.`,
      `Move this code into a step, or pass \`${name}\` in as a function argument and call the function from a step.`
    ),
  preludeRedefined: (place: Place, name: string, step: string, readers: readonly string[]) =>
    make(
      'prelude-redefined',
      'error',
      place,
      `Step \`${step}\` defines \`${name}\` again, which a prelude cell defines; later steps ${list(readers)} would run the prelude's \`${name}\`, while the notebook runs this one.`,
      `Give this definition another name (and call that), or change \`${name}\` in its \`functions\`/\`imports\` cell.`
    )
};

/** Problems with how a run was asked for: reported before anything runs. */
export const runError = {
  badParameterSyntax: (text: string) =>
    make(
      'bad-parameter',
      'error',
      nowhere,
      `\`--param ${text}\` is not of the form name=value.`,
      'Write `--param name=value`, e.g. `--param learning_rate=0.05`.'
    ),
  unknownParameter: (name: string, known: readonly string[]) =>
    make(
      'unknown-parameter',
      'error',
      nowhere,
      `The notebook has no pipeline parameter \`${name}\`.`,
      known.length > 0
        ? `Its parameters are ${list(known)}.`
        : 'Define parameters in a cell tagged `pipeline-parameters`.'
    ),
  missingParameterValue: (name: string) =>
    make(
      'missing-parameter-value',
      'error',
      nowhere,
      `The run was given no value for pipeline parameter \`${name}\`.`,
      "Give every parameter a value: start from the parameters cell's defaults (`resolveParameterValues`) and override the ones to change."
    ),
  badParameterValue: (name: string, type: string, text: string) =>
    make(
      'bad-parameter-value',
      'error',
      nowhere,
      `\`${text}\` is not a valid ${type} for parameter \`${name}\`.`,
      type === 'number'
        ? 'Give a finite number other than -0 (steps receive parameters as JSON, which has neither), e.g. 0.05 or 1e-3.'
        : type === 'boolean'
          ? 'Give true or false.'
          : 'Give any text.'
    ),
  notebookHasErrors: (count: number) =>
    make(
      'notebook-has-errors',
      'error',
      nowhere,
      `The notebook has ${count} error(s), so it cannot run.`,
      'Run `cellflow analyze <notebook>` to see them, fix them, and run again.'
    )
};

/** Commands given something that is not there: a run, a step, a folder. These stop the command (exit 2). */
export const commandError = {
  unknownRun: (runId: string, stateDir: string) =>
    make(
      'unknown-run',
      'error',
      nowhere,
      `There is no run \`${runId}\` in ${stateDir}.`,
      '`cellflow runs <notebook or folder>` lists the runs there; pass `--dir` to look beside another notebook.'
    ),
  unknownStep: (runId: string, step: string, steps: readonly string[]) =>
    make(
      'unknown-step',
      'error',
      nowhere,
      `Run ${runId} has no step \`${step}\`.`,
      steps.length > 0 ? `Its steps are ${list(steps)}.` : 'The run has no steps.'
    ),
  unknownArtifact: (runId: string, path: string) =>
    make(
      'unknown-artifact',
      'error',
      nowhere,
      `Run ${runId} has no file \`${path}\`.`,
      "A run's files are the artifacts and displays its record lists (`cellflow runs --json`), by their path in the run."
    ),
  damagedRun: (runId: string, path: string, detail: string) =>
    make(
      'damaged-run-record',
      'error',
      nowhere,
      `The record of run \`${runId}\` (${path}) cannot be read: ${detail}.`,
      `The run's other files are untouched; remove the run's folder (\`rm -r ${path.replace(/[\\/]run\.json$/, '')}\`) if you no longer need it.`
    ),
  notADirectory: (what: string, path: string) =>
    make('not-a-directory', 'error', nowhere, `The ${what} "${path}" is not a directory.`, 'Give an existing folder.'),
  denoUnavailable: (detail: string) =>
    make(
      'deno-unavailable',
      'error',
      nowhere,
      `The notebook's kernel is Deno, so its steps run on Deno, but cellflow cannot find the Deno executable: ${detail}`,
      "cellflow installs Deno with its own dependencies (the `deno` npm package): reinstall cellflow with `npm ci` or `npm install`, allowing the `deno` package's install script."
    ),
  internal: (detail: string) =>
    make(
      'internal-error',
      'error',
      nowhere,
      `cellflow failed unexpectedly: ${detail}`,
      'This is a bug in cellflow, not in your notebook. Run again with CELLFLOW_DEBUG=1 to see where it happened, and report it.'
    )
};

/**
 * Running part of a pipeline ("Run this step", "Run from this step"): refused before anything runs when the
 * selection names no step, or a step it needs has no result that is exactly what it would compute now.
 */
export const selectionError = {
  unknownStep: (step: string, steps: readonly string[]) =>
    make(
      'step-not-in-pipeline',
      'error',
      nowhere,
      `The pipeline has no step \`${step}\`.`,
      steps.length > 0 ? `Its steps are ${list(steps)}.` : 'The pipeline has no steps.'
    ),
  emptySelection: () =>
    make(
      'empty-step-selection',
      'error',
      nowhere,
      'No step was selected to run.',
      'Name at least one step to run (`--step <name>`), a step to run from (`--from <name>`), or run the whole pipeline.'
    ),
  onlyAndFrom: () =>
    make(
      'step-selection-conflict',
      'error',
      nowhere,
      'A run was asked for both with steps to run (`--step`) and a step to run from (`--from`).',
      'Give one of them: `--step <name>` (repeatable) runs just those steps, `--from <name>` runs that step and everything downstream of it.'
    ),
  gap: (place: { step: string; cellIndex: number }, after: string, before: string) =>
    make(
      'step-selection-gap',
      'error',
      { cellIndex: place.cellIndex },
      `The selected step \`${before}\` needs the result of step \`${place.step}\`, which is not selected and runs after the selected step \`${after}\`: its result from before \`${after}\` runs again would not be what the notebook computes.`,
      `Select \`${place.step}\` too, or run from \`${after}\` (\`--from ${after}\`).`
    ),
  upstreamResultMissing: (
    place: { step: string; cellIndex: number },
    neededBy: readonly string[],
    how: 'upstream' | 'check',
    why: string
  ) =>
    make(
      'upstream-result-missing',
      'error',
      { cellIndex: place.cellIndex },
      `${list(neededBy)} ${neededBy.length === 1 ? 'needs' : 'need'} the result of step \`${place.step}\`${
        how === 'check'
          ? ` (it comes earlier in the notebook and works with the same values, prelude state or \`process.env\`: a change it makes there that the analysis cannot see would reach ${neededBy.length === 1 ? 'it' : 'them'} in the notebook, so its run must be checked)`
          : ''
      }, and there is none that is what it would compute now: ${why}. Nothing was run.`,
      `Run from \`${place.step}\` (\`--from ${place.step}\`, or "Run from this step" on it), or run the whole pipeline; after that a single step can reuse its result.`
    )
};

/** Single quotes for a POSIX shell: the hint's command can be pasted as it is. */
const shellQuoted = (text: string) => (/^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);

/** What a step imports and could not load: found before the first step starts. */
export const importError = {
  missingPackage: (place: Place, packageName: string, notebookDir: string) =>
    make(
      'missing-package',
      'error',
      place,
      `The package \`${packageName}\` is not installed where the notebook is (${notebookDir}), so the step importing it cannot start.`,
      `Install it in the notebook's folder: \`cd ${shellQuoted(notebookDir)} && npm install ${shellQuoted(packageName)}\`, then run again.`
    ),
  missingFile: (place: Place, specifier: string, path: string) =>
    make(
      'missing-module-file',
      'error',
      place,
      `\`${specifier}\` names ${path}, which does not exist.`,
      "Relative imports resolve from the notebook's folder: check the path and the file name, or create the file."
    ),
  unresolvable: (place: Place, specifier: string, detail: string) =>
    make(
      'unresolvable-import',
      'error',
      place,
      `\`${specifier}\` cannot be loaded from the notebook's folder: ${detail}`,
      'Import what the package exports (see its package.json `exports`), or reinstall it with `npm install`.'
    ),
  denoImportUnavailable: (place: Place, specifier: string, detail: string) =>
    make(
      'deno-import-unavailable',
      'error',
      place,
      `Deno cannot load \`${specifier}\` for the steps: ${detail}`,
      /^(jsr|https?):/.test(specifier)
        ? `Deno fetches \`${specifier.split(':')[0]}:\` imports when the step starts, and this machine cannot fetch this one. Use the package from npm (\`npm:<name>\`, or install it in the notebook's folder), or run where its host can be reached.`
        : /^npm:/.test(specifier)
          ? "With a package.json in the notebook's folder (or above it) Deno loads `npm:` imports from node_modules: `npm install` the package there. Without one it fetches them from the npm registry: check the name and version."
          : "Check the specifier: a bare import needs the package in the notebook's package.json and node_modules, a relative one needs the file with its extension."
    ),
  denoSpecifierOnNode: (place: Place, specifier: string, kernel: string) =>
    make(
      'deno-specifier-on-node',
      'error',
      place,
      `\`${specifier}\` is a Deno specifier, but the notebook's kernel (${kernel || 'unknown'}) runs its steps on Node, which cannot load it.`,
      "Switch the notebook to the Deno kernel, or import the package by its bare name after `npm install` in the notebook's folder."
    )
};

/**
 * The run checking its plan: a step changed something the plan did not list, in a way a pipeline cannot
 * carry exactly. The run stops with one of these rather than give a different result than the notebook.
 */
export const planCheckError = {
  unplannedWriteSeenLater: (writer: { step: string; cellIndex: number }, name: string, readers: readonly string[]) =>
    make(
      'unplanned-write-seen-later',
      'error',
      { cellIndex: writer.cellIndex },
      `Step \`${writer.step}\` changed \`${name}\`, which the analysis did not see it change, and ${list(readers)} ${readers.length === 1 ? 'reads' : 'read'} \`${name}\` later in the notebook without running after \`${writer.step}\`: in the notebook ${readers.length === 1 ? 'it sees' : 'they see'} the change, in the pipeline ${readers.length === 1 ? 'it would' : 'they would'} not.`,
      `Add \`prev:${writer.step}\` to ${list(readers)}, or change a copy of \`${name}\` in \`${writer.step}\` (\`structuredClone(${name})\`). cellflow remembers this write: the next \`cellflow analyze\` shows it.`
    ),
  ambiguousRunProducer: (step: { step: string; cellIndex: number }, name: string, producers: readonly string[]) =>
    make(
      'ambiguous-run-producer',
      'error',
      { cellIndex: step.cellIndex },
      `Step \`${step.step}\` reads \`${name}\`, and ${list(producers)}, which run in parallel before it, each changed it in this run; the notebook would see only the change of the one that runs last there.`,
      `Add a \`prev:\` tag so one of ${list(producers)} runs after the other, or let only one of them change \`${name}\`.`
    ),
  fileReadFromUnrelatedStep: (
    later: { step: string; cellIndex: number },
    path: string,
    reader: string,
    writer: string,
    earlier: string
  ) =>
    make(
      'file-read-from-unrelated-step',
      'error',
      { cellIndex: later.cellIndex },
      `Step \`${reader}\` reads \`${path}\`, which step \`${writer}\` writes, but neither step runs after the other in the pipeline: \`${reader}\` may see the file ${reader === earlier ? 'after' : 'before'} \`${writer}\` writes it, while in the notebook it sees it ${reader === earlier ? 'before' : 'after'}.`,
      `Add \`prev:${earlier}\` to the tags of step \`${later.step}\` so it runs after \`${earlier}\`, or let the steps use different files.`
    ),
  fileWrittenByUnrelatedSteps: (
    later: { step: string; cellIndex: number },
    path: string,
    earlier: string,
    other: string
  ) =>
    make(
      'file-written-by-unrelated-steps',
      'error',
      { cellIndex: later.cellIndex },
      `Steps \`${earlier}\` and \`${other}\` both write \`${path}\`, and neither runs after the other in the pipeline: the file left is whichever finished last, while in the notebook it is \`${other}\`'s.`,
      `Add \`prev:${earlier}\` to the tags of step \`${later.step}\` so it runs after \`${earlier}\`, or let the steps write different files.`
    ),
  preludeStateChanged: (
    writer: { step: string; cellIndex: number },
    binding: { name: string; cellIndex: number },
    readers: readonly string[]
  ) =>
    make(
      'prelude-state-changed',
      'error',
      { cellIndex: binding.cellIndex },
      `Step \`${writer.step}\` changed \`${binding.name}\`, defined by the imports/functions cell ${binding.cellIndex + 1}; ${list(readers)} ${readers.length === 1 ? 'uses' : 'use'} it later in the notebook, where the change would be seen, but every step runs the prelude afresh.`,
      `Keep changing state out of imports/functions cells: create \`${binding.name}\` in step \`${writer.step}\` (or a step before it) and hand it on, so the steps after it get its current value.`
    ),
  globalChanged: (writer: { step: string; cellIndex: number }, names: readonly string[], readers: readonly string[]) =>
    make(
      'global-state-changed',
      'error',
      { cellIndex: writer.cellIndex },
      `Step \`${writer.step}\` changed ${names.map(n => `\`globalThis.${n}\``).join(', ')}; ${list(readers)} ${readers.length === 1 ? 'runs' : 'run'} later in the notebook, where the change would be seen, but each step is its own process.`,
      'Hand the value on as a variable instead of a global (`const x = ...` in the step), or set it in a cell tagged `imports` so every step sets it.'
    ),
  envChangeNotDownstream: (
    writer: { step: string; cellIndex: number },
    keys: readonly string[],
    readers: readonly string[]
  ) =>
    make(
      'env-change-not-downstream',
      'error',
      { cellIndex: writer.cellIndex },
      `Step \`${writer.step}\` changed \`process.env\` (${keys.map(k => `\`${k}\``).join(', ')}); ${list(readers)} ${readers.length === 1 ? 'reads' : 'read'} \`process\` later in the notebook without running after \`${writer.step}\`, so ${readers.length === 1 ? 'it' : 'they'} would not see the change.`,
      `Add \`prev:${writer.step}\` to ${list(readers)}, or set the variable in a cell tagged \`imports\` so every step sets it.`
    )
};

/** How a step process ended when it could not say so itself: it never loaded, ran out of memory, was killed. */
export const stepError = {
  cellThrew: (place: Place, step: string, detail: string) =>
    make(
      'cell-threw',
      'error',
      place,
      detail,
      `Fix the cell and run again: the notebook stops at the same line in the kernel (step \`${step}\`).`
    ),
  /** A package a cell loaded while it ran (through a helper, with a computed name) that is not installed. */
  packageNotInstalled: (place: Place, step: string, packageName: string, notebookDir: string, detail: string) =>
    make(
      'missing-package',
      'error',
      place,
      `Step \`${step}\` loads the package \`${packageName}\`, which is not installed where the notebook is (${notebookDir}): ${detail}`,
      `Install it in the notebook's folder: \`cd ${shellQuoted(notebookDir)} && npm install ${shellQuoted(packageName)}\`, then run again.`
    ),
  valueCannotTravel: (place: Place, detail: string, fix: string) =>
    make('value-cannot-travel', 'error', place, detail, `${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`),
  valueCannotLoad: (place: Place, detail: string) =>
    make(
      'value-cannot-load',
      'error',
      place,
      detail,
      'Run again with `--no-cache`, so the step that saved the value saves it afresh.'
    ),
  couldNotStart: (step: string, detail: string) =>
    make(
      'step-could-not-start',
      'error',
      nowhere,
      `Step \`${step}\` could not be started: ${detail}.`,
      "Check that the step's runtime is installed (`npm ci` in the cellflow folder) and that the notebook's folder exists."
    ),
  timedOut: (step: string, seconds: number) =>
    make(
      'step-timed-out',
      'error',
      nowhere,
      `Step \`${step}\` ran longer than its timeout of ${seconds} s and was stopped.`,
      'Raise the `timeout:` tag of the step, or make it do less.'
    ),
  outOfMemory: (step: string, memoryLimit: string | undefined) =>
    make(
      'step-out-of-memory',
      'error',
      nowhere,
      `Step \`${step}\` ran out of memory: it needed more than ${memoryLimit ? `its memory limit (\`limit:memory:${memoryLimit}\`)` : "the JavaScript heap's default limit"}.`,
      memoryLimit
        ? 'Raise the `limit:memory:` tag of this step, or make its cells hold less at once.'
        : 'Give the step a larger heap with a `limit:memory:` tag (e.g. `limit:memory:4Gi`), or make its cells hold less at once.'
    ),
  couldNotLoad: (step: string, detail: string) =>
    make(
      'step-could-not-load',
      'error',
      nowhere,
      `Step \`${step}\` could not load its modules: ${detail}.`,
      "Fix the module named there (a missing package: `npm install` it in the notebook's folder; a syntax error: the file and line are shown), then run again."
    ),
  awaitNeverSettles: (place: Place, step: string) =>
    make(
      'step-await-never-settles',
      'error',
      place,
      `Step \`${step}\` stopped while ${place.cellIndex === null ? 'a cell' : `cell ${place.cellIndex + 1}`} was awaiting a promise that never settles: nothing was left that could resolve it.`,
      'Make sure every awaited promise resolves or rejects: a `new Promise` whose `resolve` is never called, or an event that never comes, ends a step like this (in the kernel the cell would hang).'
    ),
  killed: (step: string, signal: string) =>
    make(
      'step-killed',
      'error',
      nowhere,
      signal === 'SIGKILL'
        ? `Step \`${step}\`'s process was killed by SIGKILL, from outside cellflow (the system may have run out of memory).`
        : `Step \`${step}\`'s process was killed by ${signal}.`,
      'Run it again; if it happens again, give the step a `limit:memory:` tag below what the machine has, so it fails with a clear out-of-memory error.'
    ),
  exited: (step: string, code: number | null) =>
    make(
      'step-exited',
      'error',
      nowhere,
      `Step \`${step}\`'s process exited with code ${code} before it reported a result.`,
      "A cell may call `process.exit`; the step's log (`cellflow logs <run> <step>`) shows what it printed."
    ),
  noOutputs: (step: string) =>
    make(
      'step-no-outputs',
      'error',
      nowhere,
      `Step \`${step}\`'s process exited (code 0) before it saved its outputs.`,
      'A cell may call `process.exit(0)`: remove the call, and let the step end when its cells are done.'
    ),
  diskFull: (step: string | null, detail: string) =>
    make(
      'disk-full',
      'error',
      nowhere,
      `${step ? `Step \`${step}\`` : 'The run'} could not write its files: the disk is full (${detail}).`,
      'Free space on the disk that holds the notebook (old runs: `rm -r .cellflow/runs/<id>`, or the step cache: `rm -r .cellflow/cache`), then run again.'
    ),
  storageFailed: (step: string | null, detail: string) =>
    make(
      'storage-failed',
      'error',
      nowhere,
      `${step ? `Step \`${step}\`` : 'The run'} could not write its files: ${detail}.`,
      "Check that the notebook's folder and its `.cellflow` folder are writable, then run again."
    )
};

/** The HTTP server's own limits, met by one request. */
export const serverError = {
  analysisCrashed: (why: string) =>
    make(
      'analysis-crashed',
      'error',
      nowhere,
      `Analyzing the notebook stopped the analysis process (${why}); the server itself is unharmed.`,
      'The notebook may hold code nested too deeply or too large to analyze: split its biggest cells. Run `cellflow analyze <notebook>` in a terminal to see more.'
    ),
  analysisTimedOut: (ms: number) =>
    make(
      'analysis-timed-out',
      'error',
      nowhere,
      `Analyzing the notebook took longer than ${Math.round(ms / 1000)} s and was stopped.`,
      "Split the notebook's largest cells, or run `cellflow analyze <notebook>` in a terminal to see where it spends its time."
    )
};

/** How `cellflow serve` is started: only ways that let Jupyter's authenticated users alone reach it. */
export const serveError = {
  noAuthentication: () =>
    make(
      'serve-unauthenticated',
      'error',
      nowhere,
      '`cellflow serve` will not answer on an open port: it needs a Unix socket or a per-launch secret.',
      'Start it with `cellflow serve --socket <dir>/cellflow.sock` (the directory private to you, mode 0700), or set CELLFLOW_SERVER_SECRET to a random value and start `cellflow serve --port <n>`; jupyter-server-proxy does one of these for you.'
    ),
  socketDirNotPrivate: (dir: string, why: string) =>
    make(
      'serve-socket-dir-not-private',
      'error',
      nowhere,
      `The socket's directory ${dir} is not private: ${why}.`,
      'Put the socket in a directory you own with mode 0700 (`mkdir -m 700 <dir>`), or name a directory that does not exist yet and cellflow creates it so.'
    )
};

/** The tuning spec (`katib_metadata`, Katib's Experiment field names): each names the field and the fix. */
const specField = (field: string) => (field ? `\`katib_metadata.${field}\`` : '`katib_metadata`');
export const tuneError = {
  specHasErrors: (count: number) =>
    make(
      'tune-spec-has-errors',
      'error',
      nowhere,
      `The tuning spec has ${count} error(s), so the experiment cannot start.`,
      'Fix `katib_metadata` as each error above says, then run `cellflow tune` again.'
    ),
  invalidField: (field: string, problem: string, fix: string) =>
    make('tune-invalid-field', 'error', nowhere, `${specField(field)} ${problem}.`, fix),
  missingField: (field: string, fix: string) =>
    make('tune-missing-field', 'error', nowhere, `${specField(field)} is missing; tuning needs it.`, fix),
  unknownAlgorithm: (field: string, name: string, known: readonly string[]) =>
    make(
      'tune-unknown-algorithm',
      'error',
      nowhere,
      `${specField(field)} is \`${name}\`, an algorithm cellflow's tuner does not run.`,
      `Use one of ${list(known)} (Katib's names).`
    ),
  unknownSetting: (field: string, name: string, algorithm: string, known: readonly string[]) =>
    make(
      'tune-unknown-setting',
      'error',
      nowhere,
      `${specField(field)} names \`${name}\`, which is not a setting of \`${algorithm}\`.`,
      known.length > 0 ? `Use one of ${list(known)}, or remove it.` : `\`${algorithm}\` takes no settings: remove it.`
    ),
  unknownParameter: (field: string, name: string, known: readonly string[]) =>
    make(
      'tune-unknown-parameter',
      'error',
      nowhere,
      `${specField(field)} is \`${name}\`, which is not a parameter of the notebook's parameters cell.`,
      known.length > 0
        ? `Tune one of ${list(known)}, or add \`${name}\` to the cell tagged \`pipeline-parameters\`.`
        : `Add \`${name}\` to a cell tagged \`pipeline-parameters\` (\`const ${name} = ...;\`).`
    ),
  duplicateParameter: (field: string, name: string) =>
    make(
      'tune-duplicate-parameter',
      'error',
      nowhere,
      `${specField(field)} tunes \`${name}\` a second time.`,
      `Keep one entry for \`${name}\` in \`katib_metadata.parameters\`.`
    ),
  parameterTypeMismatch: (field: string, name: string, parameterType: string, notebookType: string, fix: string) =>
    make(
      'tune-parameter-type-mismatch',
      'error',
      nowhere,
      `${specField(field)} is \`${parameterType}\`, but \`${name}\` is a ${notebookType} in the parameters cell.`,
      fix
    ),
  emptySpace: (field: string, why: string, fix: string) =>
    make('tune-empty-space', 'error', nowhere, `${specField(field)} holds no value to try: ${why}.`, fix),
  unknownMetric: (field: string, name: string, known: readonly string[]) =>
    make(
      'tune-unknown-metric',
      'error',
      nowhere,
      `${specField(field)} is \`${name}\`, which the notebook's metrics cell does not report.`,
      known.length > 0
        ? `Use one of ${list(known)}, or add \`${name}\` to the cell tagged \`pipeline-metrics\`.`
        : `Add \`${name}\` to a cell tagged \`pipeline-metrics\`, so each trial reports it.`
    ),
  unknownExperiment: (id: string, stateDir: string) =>
    make(
      'unknown-experiment',
      'error',
      nowhere,
      `There is no experiment \`${id}\` in ${stateDir}.`,
      'Give the id `cellflow tune` printed when it started (the folders under `.cellflow/experiments/` beside the notebook).'
    ),
  // tune-loop: `cellflow experiments`
  experimentUnreadable: (file: string, why: string) =>
    make(
      'experiment-record-unreadable',
      'warning',
      nowhere,
      `The experiment record ${file} cannot be read (${why}); it is left out.`,
      'Remove its folder if the experiment is not needed, or restore the file from a backup.'
    ),
  // The HTTP API's experiments (http/routes/experiments.ts): 409 Conflict.
  experimentNotRunningHere: (id: string, status: string) =>
    make(
      'experiment-not-running',
      'error',
      nowhere,
      status === 'running'
        ? `The experiment \`${id}\` is not running in this server: its record says running, so \`cellflow tune\` runs it in another process or its tuner stopped without saying so.`
        : `The experiment \`${id}\` is not running: it ended (${status}).`,
      status === 'running'
        ? 'Stop `cellflow tune` where it runs (Ctrl-C); if no tuner runs it any more, resume it (`POST /api/experiments/<id>/resume` or `cellflow tune --resume`).'
        : 'Nothing to cancel; resume it to run the trials its budget has left.'
    ),
  experimentAlreadyRunning: (id: string) =>
    make(
      'experiment-already-running',
      'error',
      nowhere,
      `The experiment \`${id}\` is already running in this server.`,
      'Wait for it to end, or cancel it first (`POST /api/experiments/<id>/cancel`).'
    ),
  noBudget: (algorithm: string) =>
    make(
      'tune-no-budget',
      'error',
      nowhere,
      `${specField('maxTrialCount')} is missing, and \`${algorithm}\` search never runs out of values to try.`,
      'Set `maxTrialCount` (or pass `--max-trials N`).'
    )
};

/** The workspace snapshot store (`.cellflow/snapshots/`): taking, restoring, pinning and collecting snapshots. */
export const snapshotError = {
  diskFull: (root: string, detail: string) =>
    make(
      'snapshot-disk-full',
      'error',
      nowhere,
      `The snapshot of ${root} could not be stored: the disk is full (${detail}). The store is unchanged but for objects no snapshot names yet.`,
      'Free space on the disk that holds the workspace (`cellflow gc` removes snapshots nothing references; `cellflow gc --dry-run` shows what), then try again.'
    ),
  storageFailed: (root: string, detail: string) =>
    make(
      'snapshot-storage-failed',
      'error',
      nowhere,
      `The snapshot of ${root} could not be stored: ${detail}.`,
      'Check that the workspace and its `.cellflow/snapshots` folder are writable, then try again.'
    ),
  unknownSnapshot: (id: string, storeDir: string) =>
    make(
      'unknown-snapshot',
      'error',
      nowhere,
      `There is no snapshot \`${id}\` in ${storeDir}.`,
      '`cellflow snapshots <folder>` lists the snapshots there; an id may be shortened to any unique prefix.'
    ),
  ambiguousSnapshot: (prefix: string, matches: readonly string[]) =>
    make(
      'ambiguous-snapshot',
      'error',
      nowhere,
      `\`${prefix}\` names more than one snapshot: ${list(matches.slice(0, 5))}${matches.length > 5 ? ', …' : ''}.`,
      'Give more of the id (`cellflow snapshots` lists them).'
    ),
  damagedManifest: (id: string, path: string, detail: string) =>
    make(
      'damaged-snapshot-manifest',
      'error',
      nowhere,
      `The manifest of snapshot \`${id}\` (${path}) cannot be read: ${detail}.`,
      'The snapshot cannot be restored; take a new one. `cellflow gc` removes it once nothing references it.'
    ),
  corruptObject: (file: string, snapshotId: string, detail: string) =>
    make(
      'snapshot-object-corrupt',
      'error',
      nowhere,
      `\`${file}\` of snapshot \`${snapshotId}\` cannot be restored: its stored copy is damaged (${detail}).`,
      'Nothing was restored over it. The file cannot be recovered from this snapshot; restore from another snapshot or run again to take a new one.'
    ),
  targetNotEmpty: (dir: string) =>
    make(
      'restore-target-not-empty',
      'error',
      nowhere,
      `${dir} already holds files; a snapshot is restored only into a new or empty folder.`,
      'Name a folder that does not exist yet, or empty this one first.'
    ),
  damagedPins: (path: string, detail: string) =>
    make(
      'damaged-snapshot-pins',
      'error',
      nowhere,
      `The list of pinned snapshots (${path}) cannot be read: ${detail}.`,
      'Fix it by hand (a JSON list of snapshot ids) or remove it and pin again with `cellflow pin <snapshot>`; `cellflow gc` will not run until then.'
    ),
  referencesUnreadable: (path: string, detail: string) =>
    make(
      'gc-references-unreadable',
      'error',
      nowhere,
      `Garbage collection stopped before removing anything: ${path} cannot be read (${detail}), so what it references is unknown.`,
      'Repair or remove that record (`cellflow runs` names damaged runs), then run `cellflow gc` again.'
    ),
  // frozen: the store's lock and runs working from their snapshot
  storeBusy: (storeDir: string) =>
    make(
      'snapshot-store-busy',
      'error',
      nowhere,
      `Garbage collection did not start: a snapshot is being taken or checked out in ${storeDir} (a run is starting or a step just ended), and it may reuse objects gc would remove.`,
      'Run `cellflow gc` again in a moment; nothing was removed.'
    )
};

// restore-kernel: "Restore state" in the user's kernel (src/restore-kernel/).
export const restoreKernelError = {
  notARestoredNotebook: (notebook: string) =>
    make(
      'not-a-restored-notebook',
      'error',
      nowhere,
      `${notebook} is not a restored notebook: its metadata has no \`cellflow.restored\`, so there is no state to load.`,
      'Open the notebook `cellflow restore <run>` wrote (in `restored/` beside the original), or run `cellflow restore` first.'
    ),
  restoreFileInvalid: (file: string, why: string) =>
    make(
      'restore-file-invalid',
      'error',
      nowhere,
      `The restore record ${file} cannot be used: ${why}.`,
      'Restore the step again with `cellflow restore <run> --step <name>`; the folder it writes is complete.'
    ),
  badRestoredName: (name: string) =>
    make(
      'restore-bad-name',
      'error',
      nowhere,
      `The restore record names \`${name}\`, which is not a JavaScript variable name, so it cannot be declared in the kernel.`,
      'The record was edited or damaged: restore the step again with `cellflow restore`.'
    ),
  cellUnparsable: (cell: number, why: string) =>
    make(
      'restore-cell-unparsable',
      'error',
      nowhere,
      `Cell ${cell} of the restored notebook, which Restore state runs, cannot be compiled: ${why}.`,
      'Fix the cell in the restored notebook (or the original, then restore again) so the kernel can run it.'
    ),
  unknownKernel: (kernel: string, known: readonly string[]) =>
    make(
      'restore-unknown-kernel',
      'error',
      nowhere,
      `Restore state does not know the kernel \`${kernel}\`.`,
      `Use one of ${list(known)}: open the restored notebook with the kernel the original notebook used.`
    )
};

type CodesOf<Group> = {
  [Name in keyof Group]: Group[Name] extends (...args: never[]) => { code: infer C } ? C : never;
}[keyof Group];

// restore
/** `cellflow restore`: which run and step to bring back, and what it needs on disk. */
export const restoreError = {
  experimentHasNoBestTrial: (experimentId: string) =>
    make(
      'experiment-has-no-best-trial',
      'error',
      nowhere,
      `Experiment \`${experimentId}\` has no succeeded trial to restore.`,
      '`cellflow experiments` shows its trials; restore one trial by its run id (`cellflow restore <run>`), or let the experiment run on.'
    ),
  runHasNoSucceededStep: (runId: string) =>
    make(
      'run-has-no-succeeded-step',
      'error',
      nowhere,
      `Run ${runId} has no step that succeeded: there is nothing to restore.`,
      'Restore another run (`cellflow runs` lists them), or fix the failing step and run again.'
    ),
  stepNotSucceeded: (runId: string, step: string, status: string, succeeded: readonly string[]) =>
    make(
      'restore-step-not-succeeded',
      'error',
      nowhere,
      `Step \`${step}\` of run ${runId} ${status === 'succeeded' ? 'succeeded' : `is ${status}`}: only a step that succeeded can be restored.`,
      succeeded.length > 0 ? `Steps of this run that succeeded: ${list(succeeded)}.` : 'No step of this run succeeded.'
    ),
  stepFilesMissing: (runId: string, step: string, what: string) =>
    make(
      'restore-step-files-missing',
      'error',
      nowhere,
      `The files step \`${step}\` of run ${runId} left are gone (${what}).`,
      'Run the notebook again (`cellflow run <notebook> --no-cache`, so the step runs rather than coming from a cache entry made without its state) and restore the new run.'
    ),
  notebookMissing: (runId: string, path: string) =>
    make(
      'restore-notebook-missing',
      'error',
      nowhere,
      `Run ${runId} ran ${path}, which is neither in the run's snapshot nor on disk.`,
      'Restore a run whose workspace snapshot holds the notebook (runs take one unless `CELLFLOW_SNAPSHOT=off`).'
    )
};

/**
 * Every code cellflow reports, as one union: a code compared anywhere (`error.code === 'disk-full'`) or
 * carried by a step failure is checked against it by the compiler.
 */
export type DiagnosticCode =
  | CodesOf<typeof notebookError>
  | CodesOf<typeof tagError>
  | CodesOf<typeof codeError>
  | CodesOf<typeof runError>
  | CodesOf<typeof commandError>
  | CodesOf<typeof selectionError>
  | CodesOf<typeof importError>
  | CodesOf<typeof planCheckError>
  | CodesOf<typeof stepError>
  | CodesOf<typeof serverError>
  | CodesOf<typeof serveError>
  | CodesOf<typeof tuneError>
  | CodesOf<typeof snapshotError>
  | CodesOf<typeof restoreKernelError>
  | CodesOf<typeof restoreError>;
