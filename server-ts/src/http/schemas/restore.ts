/** `POST /api/restore`: the request and the answer (issue 9, contract §3). */
import { Type } from 'typebox';

export const RestoreRequestSchema = Type.Object(
  {
    path: Type.String({
      minLength: 1,
      description: 'The notebook whose run is restored, relative to the Jupyter root.'
    }),
    run: Type.Optional(Type.String({ minLength: 1, description: 'The run to restore.' })),
    experiment: Type.Optional(Type.String({ minLength: 1, description: "An experiment: its best trial's run." })),
    best: Type.Optional(Type.Boolean({ description: "The experiment's best trial (the default for experiments)." })),
    step: Type.Optional(
      Type.String({ minLength: 1, description: 'The step to restore (default: the last that succeeded).' })
    )
  },
  { additionalProperties: false, title: 'RestoreRequest' }
);

export const RestoreResponseSchema = Type.Object(
  {
    folder: Type.String({ description: 'The restored folder, relative to the Jupyter root.' }),
    notebook: Type.String({ description: 'The restored notebook, relative to the Jupyter root.' }),
    runId: Type.String(),
    step: Type.String(),
    values: Type.Array(Type.String(), { description: "Values loaded from the step's state." }),
    replay: Type.Object({
      cells: Type.Array(Type.Integer(), { description: 'Cells run again to recompute what was not saved.' }),
      names: Type.Array(Type.String())
    }),
    notRestored: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }))
  },
  { title: 'RestoreResponse' }
);
