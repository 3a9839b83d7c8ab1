/** `GET /api/restore/state-code`: the code "Restore state" runs in the restored notebook's kernel. */
import { Type } from 'typebox';

export const StateCodeQuerySchema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'The restored notebook, relative to the Jupyter root.' }),
    kernel: Type.Union(
      [Type.Literal('tslab'), Type.Literal('deno'), Type.Literal('jslab'), Type.Literal('ijavascript')],
      {
        description: 'The kernel the notebook runs in: the code is written for it.'
      }
    )
  },
  // Open like every query: JupyterLab's ServerConnection adds a cache-busting key (`&1733…`) to each GET.
  { additionalProperties: true }
);

export const StateCodeResponseSchema = Type.Object(
  {
    code: Type.String({
      description: "Execute this in the notebook's kernel: prelude, values, replayed cells, summary."
    }),
    kernel: Type.String(),
    runId: Type.String(),
    step: Type.String(),
    restored: Type.Array(Type.String(), { description: 'The values loaded into the kernel.' }),
    replayed: Type.Object({
      cells: Type.Array(Type.Integer(), { description: '0-based cell indices replayed after loading.' }),
      names: Type.Array(Type.String(), { description: 'The names those cells recompute.' })
    }),
    notRestored: Type.Array(Type.Object({ name: Type.String(), reason: Type.String() }))
  },
  { title: 'StateCodeResponse' }
);
