/**
 * The notebook folder's snapshot store over HTTP: what `cellflow snapshots` lists (with the records naming each
 * snapshot, and the bytes the store takes on disk), `cellflow gc [--dry-run]`, `cellflow pin` and `unpin`.
 */
import type { FastifyInstance } from 'fastify';
import { dirname } from 'node:path';
import type { Static } from 'typebox';
import { gc, listSnapshots, pin, realFs, snapshotReferences, storeUsage, unpin } from '../../snapshots/index.js';
import type { RouteDeps } from '../app.js';
import { resolveFileInsideRoot } from '../paths.js';
import { errorResponses } from '../schemas/components.js';
import { ExperimentsQuerySchema } from '../schemas/experiments.js';
import {
  GcReportSchema,
  GcRequestSchema,
  PinRequestSchema,
  PinResponseSchema,
  SnapshotListSchema,
  SnapshotParamsSchema
} from '../schemas/experiments.js';

export function snapshotRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const workspaceOf = async (notebook: string) => dirname(await resolveFileInsideRoot(deps.root, notebook));

  app.get<{ Querystring: Static<typeof ExperimentsQuerySchema> }>(
    '/api/snapshots',
    {
      schema: {
        summary: "The snapshots in the notebook folder's store (newest first), and what the store takes on disk.",
        querystring: ExperimentsQuerySchema,
        response: { 200: SnapshotListSchema, ...errorResponses(400, 404, 422) }
      }
    },
    async request => {
      const workspace = await workspaceOf(request.query.path);
      const references = snapshotReferences(realFs, workspace);
      return {
        snapshots: listSnapshots(workspace).map(s => ({ ...s, referencedBy: references.get(s.id) ?? [] })),
        store: storeUsage(workspace)
      };
    }
  );

  app.post<{ Body: Static<typeof GcRequestSchema> }>(
    '/api/gc',
    {
      schema: {
        summary:
          'Removes the snapshots no run, experiment or pin references and the files only they held (`cellflow gc`); `dryRun` only says what. Snapshots and files younger than an hour are kept.',
        body: GcRequestSchema,
        response: { 200: GcReportSchema, ...errorResponses(400, 404, 409, 415, 422) }
      }
    },
    async request => gc(await workspaceOf(request.body.path), { dryRun: request.body.dryRun })
  );

  for (const action of ['pin', 'unpin'] as const)
    app.post<{ Params: Static<typeof SnapshotParamsSchema>; Body: Static<typeof PinRequestSchema> }>(
      `/api/snapshots/:id/${action}`,
      {
        schema: {
          summary:
            action === 'pin'
              ? 'Pins a snapshot (a full id or a unique prefix): gc never removes it.'
              : 'Unpins it: gc removes it once nothing references it.',
          params: SnapshotParamsSchema,
          body: PinRequestSchema,
          response: { 200: PinResponseSchema, ...errorResponses(400, 404, 415, 422) }
        }
      },
      async request => {
        const workspace = await workspaceOf(request.body.path);
        const id = (action === 'pin' ? pin : unpin)(workspace, request.params.id);
        return { id, pinned: action === 'pin' };
      }
    );
}
