/** The errors a step program shows the user when a value cannot travel. */

export interface MarshalErrorDetails {
  /** The top-level notebook variable being saved. */
  variable: string;
  /** The step that produces it. */
  step: string;
  /** The steps that read it. */
  consumers: readonly string[];
  /** Where the offending value sits, e.g. `cfg.handler` or `rows[3]`. */
  path: string;
  /** What the offending value is, e.g. "a function (`onBatch`)". */
  what: string;
  /** What the user can do about it. */
  hint: string;
}

/** A value cannot be saved for the steps that need it. */
export class MarshalError extends Error {
  readonly variable: string;
  readonly step: string;
  readonly consumers: string[];
  readonly path: string;
  readonly what: string;
  readonly hint: string;

  constructor(details: MarshalErrorDetails) {
    super(
      `Cannot hand on \`${details.variable}\` from step \`${details.step}\` to ` +
        `${describeConsumers(details.consumers)}: \`${details.path}\` is ${details.what}. ` +
        `To fix: ${details.hint}.`
    );
    this.name = 'MarshalError';
    this.variable = details.variable;
    this.step = details.step;
    this.consumers = [...details.consumers];
    this.path = details.path;
    this.what = details.what;
    this.hint = details.hint;
  }
}

/** A saved value is missing, incomplete, or needs something this step lacks. */
export class ValueLoadError extends Error {
  readonly variable: string;
  /** The step that produces the value. */
  readonly step: string;
  /** The steps reading it (the one loading it now). */
  readonly consumers: string[];
  /** The file at fault (the manifest when the value is missing). */
  readonly file: string;

  constructor(variable: string, where: { step: string; consumers: readonly string[] }, file: string, problem: string) {
    super(
      `Cannot load \`${variable}\` from step \`${where.step}\` into ` +
        `${describeConsumers(where.consumers)}: ${problem}`
    );
    this.name = 'ValueLoadError';
    this.variable = variable;
    this.step = where.step;
    this.consumers = [...where.consumers];
    this.file = file;
  }
}

function describeConsumers(consumers: readonly string[]): string {
  if (consumers.length === 0) return 'the steps that read it';
  const names = consumers.map(c => `\`${c}\``).join(', ');
  return consumers.length === 1 ? `step ${names}` : `steps ${names}`;
}
