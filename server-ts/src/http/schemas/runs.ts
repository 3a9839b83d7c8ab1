/** Runs as the API answers them: `RunView` and its events (server-ts/src/engine/types.ts) as JSON schemas. */
import { Type } from 'typebox';
import { DiagnosticSchema, ParameterValueSchema } from './ir.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const StepFailureSchema = Type.Object({
  kind: Type.Union([Type.Literal('exception'), Type.Literal('marshal'), Type.Literal('plan-check')]),
  code: Type.Optional(Type.String()),
  hint: Type.Optional(Type.String()),
  message: Type.String(),
  cellIndex: Nullable(Type.Integer()),
  line: Nullable(Type.Integer()),
  column: Nullable(Type.Integer()),
  stack: Type.String({ description: "The notebook code's own stack, as the step printed it." })
});

export const StepStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  Type.Literal('skipped'),
  Type.Literal('cancelled')
]);

export const StepRecordSchema = Type.Object(
  {
    status: StepStatusSchema,
    cached: Type.Boolean(),
    attempts: Type.Integer(),
    after: Type.Optional(
      Type.Array(Type.String(), {
        description: 'The steps this one runs after, from the plan the run was submitted with; absent in older records.'
      })
    ),
    startedAt: Type.Optional(Type.String()),
    finishedAt: Type.Optional(Type.String()),
    seconds: Type.Optional(Type.Number()),
    exitCode: Type.Optional(Nullable(Type.Integer())),
    cacheKey: Type.Optional(Type.String()),
    outputsDir: Type.Optional(Type.String()),
    error: Type.Optional(StepFailureSchema),
    reason: Type.Optional(Type.String()),
    saved: Type.Optional(Type.Array(Type.String())),
    unplannedWrites: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.String(),
          from: Type.String(),
          how: Type.Union([Type.Literal('mutated'), Type.Literal('reassigned')])
        })
      )
    ),
    inputsFrom: Type.Optional(Type.Record(Type.String(), Type.String())),
    reusedFrom: Type.Optional(
      Type.Union(
        [
          Type.Object({ source: Type.Literal('cache') }),
          Type.Object({ source: Type.Literal('run'), runId: Type.String() })
        ],
        { description: "In a partial run, where this step's result was taken from." }
      )
    ),
    snapshot: Type.Optional(
      Type.String({
        description:
          "A snapshot of the step's whole folder in the run (outputs, artifacts, metrics, result.json, state/, the workspace files it wrote), taken after it ended."
      })
    ),
    workspaceSnapshot: Type.Optional(
      Type.String({ description: "A snapshot of the run's frozen workspace copy right after the step ended." })
    )
  },
  { title: 'StepRecord' }
);

export const DisplayArtifactSchema = Type.Object({
  step: Type.String(),
  cellIndex: Nullable(Type.Integer()),
  mimeType: Type.String(),
  path: Type.String({ description: 'The file, relative to the run: fetch it from /api/runs/{id}/artifacts/{path}.' })
});

const RunRecordFields = {
  version: Type.Literal(1),
  id: Type.String(),
  notebookPath: Type.String({ description: 'Relative to the Jupyter root.' }),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('cancelled')
  ]),
  pid: Type.Integer(),
  startedAt: Type.String(),
  finishedAt: Type.Optional(Type.String()),
  seconds: Type.Optional(Type.Number()),
  parameters: Type.Record(Type.String(), ParameterValueSchema),
  stepOrder: Type.Array(Type.String()),
  steps: Type.Record(Type.String(), StepRecordSchema),
  metrics: Type.Record(Type.String(), Type.Number()),
  artifacts: Type.Array(Type.String()),
  displays: Type.Array(DisplayArtifactSchema),
  error: Type.Optional(DiagnosticSchema),
  selection: Type.Optional(
    Type.Object(
      { only: Type.Optional(Type.Array(Type.String())), from: Type.Optional(Type.String()) },
      { description: 'What a partial run was asked to run; absent for a whole run.' }
    )
  ),
  snapshot: Type.Optional(
    Type.String({ description: 'The workspace snapshot taken before the run started (`cellflow snapshots`).' })
  ),
  workspaceKey: Type.Optional(
    Type.String({
      description: "The workspace files' part of every step's cache key, when the run worked from a snapshot."
    })
  )
};

export const RunRecordSchema = Type.Object(RunRecordFields, { title: 'RunRecord' });

export const RunViewSchema = Type.Object(
  {
    ...RunRecordFields,
    interrupted: Type.Optional(Type.Boolean({ description: 'It says running, but the engine that ran it is gone.' }))
  },
  { title: 'RunView' }
);

export const RunEventSchema = Type.Union([
  Type.Object({ type: Type.Literal('step-started'), step: Type.String(), attempt: Type.Integer() }),
  Type.Object({
    type: Type.Literal('step-log'),
    step: Type.String(),
    stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]),
    line: Type.String()
  }),
  Type.Object({ type: Type.Literal('step-metric'), step: Type.String(), name: Type.String(), value: Type.Number() }),
  Type.Object({ type: Type.Literal('step-finished'), step: Type.String(), record: StepRecordSchema }),
  Type.Object({ type: Type.Literal('run-finished'), record: RunRecordSchema })
]);

export const SequencedRunEventSchema = Type.Object(
  {
    runId: Type.String(),
    seq: Type.Integer({ minimum: 1, description: 'Counts from 1 with no gaps: the SSE id.' }),
    event: RunEventSchema
  },
  { title: 'SequencedRunEvent' }
);
