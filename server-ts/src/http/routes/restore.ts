/** `POST /api/restore`: `cellflow restore` over HTTP, into the default folder beside the notebook. */
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { dirname } from 'node:path';
import { restoreRun } from '../../restore/index.js';
import type { RouteDeps } from '../app.js';
import { httpError } from '../errors.js';
import { relativeToRoot, resolveFileInsideRoot } from '../paths.js';
import { RestoreRequestSchema, RestoreResponseSchema } from '../schemas/restore.js';
import { errorResponses } from '../schemas/components.js';

export function restoreRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.post<{ Body: Static<typeof RestoreRequestSchema> }>(
    '/api/restore',
    {
      schema: {
        summary: "Restores a step of a run (or an experiment's best trial) into a new folder beside the notebook.",
        body: RestoreRequestSchema,
        response: { 200: RestoreResponseSchema, ...errorResponses(400, 404, 415, 422) }
      }
    },
    async request => {
      const body = request.body;
      const id = body.run ?? body.experiment;
      if (!id || (body.run && body.experiment)) {
        throw httpError.invalidRequest(
          'Name exactly one of `run` and `experiment`.',
          'Send {"path": "<notebook>", "run": "<run id>"} or {"path": "<notebook>", "experiment": "<id>", "best": true}.'
        );
      }
      const file = await resolveFileInsideRoot(deps.root, body.path);
      const result = await restoreRun({ workspace: dirname(file), id, ...(body.step ? { step: body.step } : {}) });
      return {
        ...result,
        folder: relativeToRoot(deps.root, result.folder),
        notebook: relativeToRoot(deps.root, result.notebook)
      };
    }
  );
}
