// /team/limits, /team/<id>/quotas and /statistics: team quotas and usage, and cloud totals, in Nova's words.
import type { Static } from '@sinclair/typebox';
import { requireTeamRole } from '../../../identity/access.ts';
import { getQuotas } from '../../../resources/quotas.ts';
import type { State } from '../../../domain/states.ts';
import { resourcesOfKindInStates } from '../../../stats/stats.ts';
import { callerFromCloudEnv, concertimService, projectOf } from '../cloud-env.ts';
import { getBody } from '../pipeline.ts';
import { absoluteLimits, cloudStatistics, quotaSet } from '../views.ts';
import { CloudEnvBody, CloudStatistics, QuotasParams, responses, TeamLimits, TeamQuotas } from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

/** Servers that hold their cpus, memory and disk (Nova counts stopped and suspended instances too). */
const allocatedStates: State[] = ['provisioning', 'active', 'stopped', 'suspended', 'deleting'];

export const cloudLimitRoutes: ConcertimRoutes = (app, ctx) => {
  app.get(
    '/team/limits',
    {
      schema: {
        operationId: 'getTeamLimits',
        tags,
        summary: "The cloud_env project's (team's) limits and usage, as Nova and Cinder absolute limits",
        description:
          'Takes a JSON body {"cloud_env": {...}} despite being a GET; the team is cloud_env.project_id (id or name).',
        response: responses(TeamLimits),
      },
      preValidation: getBody(CloudEnvBody, ctx.config.server.bodyLimitBytes),
    },
    async (request, reply) => {
      const { cloud_env } = request.body as Static<typeof CloudEnvBody>;
      const { quotas, usage } = await getQuotas(ctx, await callerFromCloudEnv(ctx, cloud_env), projectOf(cloud_env));
      return reply.code(201).send({ success: true, limits: absoluteLimits(quotas, usage) });
    },
  );

  app.get(
    '/team/:team_project_id/quotas',
    {
      schema: {
        operationId: 'getTeamQuotas',
        tags,
        summary: "A team's quotas (JWT only, as the original used its own credentials)",
        params: QuotasParams,
        response: responses(TeamQuotas),
      },
    },
    async (request, reply) => {
      const { team } = await requireTeamRole(ctx, concertimService, request.params.team_project_id, 'viewer');
      const { quotas } = await getQuotas(ctx, concertimService, team.id);
      return reply.code(201).send({ success: true, quotas: quotaSet(team.id, quotas) });
    },
  );

  app.get(
    '/statistics',
    {
      schema: {
        operationId: 'getStatistics',
        tags,
        summary: 'Allocated vCPUs, disk (GiB) and RAM (GiB) of live servers, and how many run',
        response: responses(CloudStatistics),
      },
    },
    async (_request, reply) =>
      reply
        .code(201)
        .send({ success: true, stats: cloudStatistics(await resourcesOfKindInStates(ctx, 'server', allocatedStates)) }),
  );
};
