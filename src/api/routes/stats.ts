// Public counts, as the okeanos "count" endpoints offer, for the whole platform.
import { Type } from '@sinclair/typebox';
import type { ResourceContext } from '../../resources/context.ts';
import { getStats } from '../../stats/stats.ts';
import type { ApiApp } from '../app-types.ts';

export function statsRoutes(app: ApiApp, ctx: ResourceContext) {
  app.get(
    '/stats',
    {
      config: { public: true },
      schema: {
        operationId: 'getStats',
        tags: ['stats'],
        summary: 'Counts of users, teams, and resources by kind and state (no authentication)',
        response: {
          200: Type.Object({
            users: Type.Integer(),
            teams: Type.Integer(),
            resources: Type.Record(
              Type.String(),
              Type.Object({ total: Type.Integer(), byState: Type.Record(Type.String(), Type.Integer()) }),
            ),
          }),
        },
      },
    },
    async () => getStats(ctx, [...ctx.kinds.keys()]),
  );
}
