/**
 * Experiments (`cellflow tune` over HTTP) and the snapshot store (`cellflow snapshots`, `pin`, `gc`): the records
 * as the server keeps them (tune/experiment.ts, tune/types.ts, snapshots/), the requests and the answers.
 */
import { Type } from 'typebox';
import { DiagnosticSchema, ParameterValueSchema } from './ir.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const NotebookPath = Type.String({ minLength: 1, description: 'The notebook, relative to the Jupyter root.' });
const Setting = Type.Object({ name: Type.String(), value: Type.String() });

export const ObjectiveSchema = Type.Object({
  type: Type.Union([Type.Literal('minimize'), Type.Literal('maximize')]),
  goal: Nullable(Type.Number()),
  objectiveMetricName: Type.String(),
  additionalMetricNames: Type.Array(Type.String())
});

export const AlgorithmSchema = Type.Object({
  algorithmName: Type.Union([
    Type.Literal('random'),
    Type.Literal('grid'),
    Type.Literal('tpe'),
    Type.Literal('multivariate-tpe')
  ]),
  algorithmSettings: Type.Array(Setting),
  seed: Nullable(Type.Integer()),
  nStartupTrials: Type.Integer(),
  nEiCandidates: Type.Integer()
});

export const ParameterSpaceSchema = Type.Union([
  Type.Object({
    name: Type.String(),
    parameterType: Type.Literal('int'),
    min: Type.Number(),
    max: Type.Number(),
    step: Type.Number(),
    log: Type.Boolean()
  }),
  Type.Object({
    name: Type.String(),
    parameterType: Type.Literal('double'),
    min: Type.Number(),
    max: Type.Number(),
    step: Nullable(Type.Number()),
    log: Type.Boolean()
  }),
  Type.Object({
    name: Type.String(),
    parameterType: Type.Union([Type.Literal('discrete'), Type.Literal('categorical')]),
    list: Type.Array(ParameterValueSchema)
  })
]);

export const EarlyStoppingSchema = Type.Object({
  algorithmName: Type.Literal('medianstop'),
  algorithmSettings: Type.Array(Setting),
  minTrialsRequired: Type.Integer(),
  startStep: Type.Integer()
});

export const ExperimentSpecSchema = Type.Object({
  objective: ObjectiveSchema,
  algorithm: AlgorithmSchema,
  parameters: Type.Array(ParameterSpaceSchema),
  parallelTrialCount: Type.Integer(),
  maxTrialCount: Type.Integer(),
  maxFailedTrialCount: Nullable(Type.Integer()),
  earlyStopping: Type.Optional(EarlyStoppingSchema)
});

export const TrialRecordSchema = Type.Object({
  number: Type.Integer({ description: '0-based, in the order trials were suggested.' }),
  assignment: Type.Record(Type.String(), ParameterValueSchema),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('cancelled'),
    Type.Literal('early-stopped'),
    Type.Literal('cancelled-by-goal')
  ]),
  runId: Nullable(Type.String()),
  objective: Nullable(Type.Number()),
  metrics: Type.Record(Type.String(), Type.Number()),
  error: Type.Optional(Type.String()),
  intermediate: Type.Optional(Type.Array(Type.Number(), { description: "The objective's reports, in order." })),
  stoppedBy: Type.Optional(Type.Union([Type.Literal('median-stop'), Type.Literal('goal')])),
  earlyStop: Type.Optional(Type.Object({ step: Type.Integer(), best: Type.Number(), median: Type.Number() })),
  snapshots: Type.Optional(
    Type.Array(
      Type.Object({
        of: Type.Union([Type.Literal('run'), Type.Literal('step'), Type.Literal('step-workspace')]),
        step: Type.Optional(Type.String()),
        snapshot: Type.String()
      })
    )
  )
});

export const ExperimentRecordSchema = Type.Object(
  {
    version: Type.Literal(1),
    id: Type.String(),
    notebookPath: Type.String({ description: 'The notebook, relative to the Jupyter root.' }),
    spec: ExperimentSpecSchema,
    seed: Type.Integer(),
    status: Type.Union([
      Type.Literal('running'),
      Type.Literal('succeeded'),
      Type.Literal('failed'),
      Type.Literal('cancelled')
    ]),
    reason: Type.Optional(
      Type.Union([
        Type.Literal('goal-reached'),
        Type.Literal('max-trials'),
        Type.Literal('too-many-failures'),
        Type.Literal('space-exhausted'),
        Type.Literal('cancelled')
      ])
    ),
    trials: Type.Array(TrialRecordSchema),
    bestTrial: Nullable(Type.Integer({ description: 'The number of the best succeeded trial.' })),
    baseParameters: Type.Optional(
      Type.Record(Type.String(), ParameterValueSchema, {
        description:
          'The parameter values every trial starts from (the notebook’s with the overrides); kept for resume.'
      })
    ),
    startedAt: Type.Optional(Type.String()),
    finishedAt: Type.Optional(Type.String())
  },
  { title: 'ExperimentRecord' }
);

export const ExperimentViewSchema = Type.Object(
  {
    ...ExperimentRecordSchema.properties,
    running: Type.Boolean({
      description:
        'This server is running it (it can be cancelled here). A record that says running when this is false was left by a tuner that stopped or runs elsewhere.'
    })
  },
  { title: 'ExperimentView' }
);

export const ExperimentsQuerySchema = Type.Object({ path: NotebookPath });
export const ExperimentParamsSchema = Type.Object({ id: Type.String({ minLength: 1 }) });

export const UnreadableExperimentsSchema = Type.Array(
  Type.Object({ id: Type.String(), diagnostic: DiagnosticSchema }),
  {
    description: 'Experiment folders whose record cannot be read.'
  }
);

export const CreateExperimentRequestSchema = Type.Object(
  {
    path: NotebookPath,
    maxTrialCount: Type.Optional(Type.Integer({ minimum: 1, description: "Overrides the spec's maxTrialCount." })),
    parallelTrialCount: Type.Optional(
      Type.Integer({ minimum: 1, description: "Overrides the spec's parallelTrialCount." })
    ),
    parameters: Type.Optional(
      Type.Record(Type.String(), ParameterValueSchema, {
        description: 'Untuned pipeline parameters for every trial (as `cellflow tune --param`).'
      })
    )
  },
  { additionalProperties: false, title: 'CreateExperimentRequest' }
);

export const SnapshotListSchema = Type.Object(
  {
    snapshots: Type.Array(
      Type.Object({
        id: Type.String(),
        createdAt: Type.String(),
        files: Type.Integer(),
        bytesTotal: Type.Number({ description: 'The size of the files it records (shared objects counted in each).' }),
        pinned: Type.Boolean(),
        referencedBy: Type.Array(
          Type.Object({
            kind: Type.Union([Type.Literal('run'), Type.Literal('experiment')]),
            id: Type.String(),
            of: Type.Optional(
              Type.Union([Type.Literal('run'), Type.Literal('step'), Type.Literal('step-workspace')], {
                description:
                  "What the record says it is: the workspace before the run, a step's folder after it, or the run's workspace copy after the step."
              })
            ),
            step: Type.Optional(Type.String())
          }),
          { description: 'The run and experiment records that name it (gc keeps it while any does).' }
        ),
        damaged: Type.Optional(DiagnosticSchema)
      }),
      { description: 'Newest first.' }
    ),
    store: Type.Object({
      bytes: Type.Number({ description: 'Bytes the stored objects take, each once.' }),
      objects: Type.Integer()
    })
  },
  { title: 'SnapshotList' }
);

export const GcRequestSchema = Type.Object(
  {
    path: NotebookPath,
    dryRun: Type.Boolean({ description: 'Only say what would be removed.' })
  },
  { additionalProperties: false, title: 'GcRequest' }
);

export const GcReportSchema = Type.Object(
  {
    dryRun: Type.Boolean(),
    kept: Type.Array(Type.String(), { description: 'Referenced snapshots (by a run, an experiment or a pin).' }),
    removedSnapshots: Type.Array(Type.String()),
    removedObjects: Type.Integer(),
    removedBytes: Type.Number(),
    young: Type.Integer({
      description: 'Unreferenced snapshots and files kept because they are younger than an hour (one may be in use).'
    })
  },
  { title: 'GcReport' }
);

export const SnapshotParamsSchema = Type.Object({ id: Type.String({ minLength: 1 }) });
export const PinRequestSchema = Type.Object({ path: NotebookPath }, { additionalProperties: false });
export const PinResponseSchema = Type.Object({ id: Type.String(), pinned: Type.Boolean() });
