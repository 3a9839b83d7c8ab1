/**
 * The pipeline IR and diagnostics as JSON schemas (TypeBox): what the API answers, in the OpenAPI document and
 * so in the frontend's generated types. `src/ir.ts` stays the analyzer's own types; `schema-checks.ts` fails
 * the build when the two part.
 */
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const DiagnosticSchema = Type.Object(
  {
    code: Type.String({ description: 'A code from server-ts/src/diagnostics/codes.ts.' }),
    severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
    message: Type.String(),
    hint: Type.String({ description: 'What to do about it.' }),
    cellIndex: Nullable(Type.Integer()),
    line: Nullable(Type.Integer()),
    column: Nullable(Type.Integer())
  },
  { title: 'Diagnostic' }
);

export const ParameterValueSchema = Type.Union([Type.Number(), Type.String(), Type.Boolean()]);

const StringMap = Type.Record(Type.String(), Type.String());

export const StepSettingsSchema = Type.Object(
  {
    limits: StringMap,
    annotations: StringMap,
    labels: StringMap,
    image: Type.Optional(Type.String()),
    cache: Type.Optional(Type.Boolean()),
    retry: Type.Optional(Type.Integer()),
    timeoutSeconds: Type.Optional(Type.Integer())
  },
  { title: 'StepSettings' }
);

export const StepSchema = Type.Object(
  {
    name: Type.String(),
    cells: Type.Array(Type.Integer()),
    dependencies: Type.Array(Type.String()),
    ins: Type.Array(Type.Object({ name: Type.String(), from: Type.String() })),
    outs: Type.Array(Type.String()),
    learnt: Type.Optional(Type.Array(Type.String())),
    parameters: Type.Array(Type.String()),
    settings: StepSettingsSchema
  },
  { title: 'Step' }
);

export const PipelineIRSchema = Type.Object(
  {
    version: Type.Literal(1),
    language: Type.Union([Type.Literal('typescript'), Type.Literal('javascript')]),
    kernel: Type.String(),
    settings: Type.Object({
      experiment_name: Type.Optional(Type.String()),
      pipeline_name: Type.Optional(Type.String()),
      pipeline_description: Type.Optional(Type.String()),
      docker_image: Type.Optional(Type.String()),
      volumes: Type.Optional(Type.Array(Type.Unknown())),
      katib_metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      steps_defaults: Type.Optional(Type.Array(Type.String())),
      enable_caching: Type.Optional(Type.Boolean())
    }),
    prelude: Type.Array(
      Type.Object({
        cellIndex: Type.Integer(),
        kind: Type.Union([Type.Literal('imports'), Type.Literal('functions')]),
        defines: Type.Array(Type.String())
      })
    ),
    parameters: Type.Array(
      Type.Object({
        name: Type.String(),
        type: Type.Union([Type.Literal('number'), Type.Literal('string'), Type.Literal('boolean')]),
        default: ParameterValueSchema,
        cellIndex: Type.Integer(),
        line: Type.Integer()
      })
    ),
    steps: Type.Array(StepSchema),
    metrics: Type.Array(
      Type.Object({
        name: Type.String(),
        step: Nullable(Type.String()),
        cellIndex: Type.Integer(),
        line: Type.Integer()
      })
    ),
    diagnostics: Type.Array(DiagnosticSchema)
  },
  { title: 'PipelineIR' }
);
