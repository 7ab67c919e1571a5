// Team quotas: read by members, set by platform admins.
import { Type } from '@sinclair/typebox';
import { getQuotas, Quotas, setQuotas, Usage } from '../../resources/quotas.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';

const TeamParams = Type.Object({ team: Type.String({ minLength: 1, maxLength: 128 }) });
const QuotasAndUsage = Type.Object({ quotas: Quotas, usage: Usage });

export function quotaRoutes(app: ApiApp, ctx: ResourceContext) {
  const tags = ['teams'];
  app.get(
    '/teams/:team/quotas',
    {
      schema: {
        operationId: 'getTeamQuotas',
        tags,
        summary: "A team's quotas and what it uses now",
        params: TeamParams,
        response: { 200: QuotasAndUsage, ...commonErrors },
      },
    },
    async (request) => getQuotas(ctx, callerOf(request), request.params.team),
  );

  app.put(
    '/teams/:team/quotas',
    {
      schema: {
        operationId: 'setTeamQuotas',
        tags,
        summary:
          'Set quotas (platform admins): maxCpus, maxMemoryMiB, maxResources per kind; creations beyond them are 409',
        params: TeamParams,
        body: Quotas,
        response: { 200: QuotasAndUsage, ...commonErrors },
      },
    },
    async (request) => setQuotas(ctx, callerOf(request), request.params.team, request.body),
  );
}
