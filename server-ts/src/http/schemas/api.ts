/** Request bodies and the answers that are not IR or runs: one schema each, used to validate and to document. */
import { Type } from 'typebox';
import { DiagnosticSchema, ParameterValueSchema } from './ir.js';

const NotebookPath = Type.String({
  minLength: 1,
  description: 'The notebook, relative to the Jupyter root, as the JupyterLab file browser names it.'
});

/** An nbformat 4 cell: what cellflow reads of it is checked, the rest is carried as it is. */
export const NotebookCellSchema = Type.Object(
  {
    cell_type: Type.String(),
    id: Type.Optional(Type.String()),
    source: Type.Union([Type.String(), Type.Array(Type.String())]),
    metadata: Type.Optional(
      Type.Object({ tags: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: true })
    )
  },
  { additionalProperties: true, title: 'NotebookCell' }
);

export const NotebookRequestSchema = Type.Object(
  {
    path: NotebookPath,
    cells: Type.Optional(
      Type.Array(NotebookCellSchema, {
        description:
          "The notebook's cells as the editor holds them (unsaved); the file at `path` still gives the kernel and settings."
      })
    )
  },
  { additionalProperties: false, title: 'NotebookRequest' }
);

export const CompileResponseSchema = Type.Object(
  {
    pipelineName: Type.String(),
    steps: Type.Array(Type.String()),
    diagnostics: Type.Array(DiagnosticSchema),
    programDir: Type.Optional(
      Type.String({
        description: 'Where the step programs were written, relative to the Jupyter root; absent when refused.'
      })
    )
  },
  { title: 'CompileResponse' }
);

const StepInputSchema = Type.Object({ name: Type.String(), from: Type.String() });

export const ProposalSchema = Type.Object(
  {
    outcome: Type.Union([Type.Literal('split'), Type.Literal('one-step'), Type.Literal('unchanged')]),
    cells: Type.Array(Type.Object({ index: Type.Integer(), tags: Type.Array(Type.String()) }), {
      description: 'Every code cell whose tags change, with its new tags.'
    }),
    prelude: Type.Array(
      Type.Object({
        index: Type.Integer(),
        kind: Type.Union([Type.Literal('imports'), Type.Literal('functions')])
      })
    ),
    steps: Type.Array(
      Type.Object({
        name: Type.String(),
        cells: Type.Array(Type.Integer()),
        prev: Type.Array(Type.String()),
        ins: Type.Array(StepInputSchema),
        outs: Type.Array(Type.String())
      })
    ),
    notes: Type.Array(Type.String(), { description: 'Why cells were grouped or left as they are.' }),
    diagnostics: Type.Array(DiagnosticSchema, { description: "The notebook's own errors, when they stop a proposal." })
  },
  { title: 'Proposal' }
);

export const SubmitRunRequestSchema = Type.Object(
  {
    path: NotebookPath,
    parameters: Type.Optional(
      Type.Record(Type.String(), ParameterValueSchema, { description: "Overrides of the parameters cell's values." })
    ),
    useCache: Type.Optional(Type.Boolean({ description: 'false: run every step (results are still cached).' })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, description: 'How many steps may run at once.' })),
    only: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        minItems: 1,
        description: 'Run just these steps; the rest come from the cache or a past run.'
      })
    ),
    from: Type.Optional(Type.String({ minLength: 1, description: 'Run this step and everything downstream of it.' }))
  },
  { additionalProperties: false, title: 'SubmitRunRequest' }
);

export const RunsQuerySchema = Type.Object({ path: NotebookPath });

export const RunParamsSchema = Type.Object({ id: Type.String({ minLength: 1 }) });

export const StepParamsSchema = Type.Object({ id: Type.String({ minLength: 1 }), step: Type.String({ minLength: 1 }) });

export const HealthResponseSchema = Type.Object(
  {
    name: Type.Literal('cellflow'),
    version: Type.String(),
    instance: Type.String({ description: 'New for every backend process: a change means it was restarted.' }),
    startedAt: Type.String({ description: 'When this backend process started (ISO 8601).' })
  },
  { title: 'HealthResponse' }
);

export const ReadyResponseSchema = Type.Object({ name: Type.Literal('cellflow'), ready: Type.Literal(true) });

export const StepLogsSchema = Type.Object({ stdout: Type.String(), stderr: Type.String() }, { title: 'StepLogs' });

export const CancelResponseSchema = Type.Object({ cancelled: Type.Literal(true) });

export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'A code from diagnostics/codes.ts or http/errors.ts.' }),
      message: Type.String(),
      hint: Type.String(),
      diagnostic: Type.Optional(DiagnosticSchema),
      diagnostics: Type.Optional(Type.Array(DiagnosticSchema, { description: 'Every error, when several refuse it.' }))
    })
  },
  { title: 'ErrorBody' }
);
