// /team/limits, /team/<id>/quotas and /statistics: team quotas and usage, and cloud totals, in Nova's words.
import { Type, type Static } from '@sinclair/typebox';
import type { ResourceContext } from '../../resources/context.ts';
import { getQuotas, type Quotas, type Usage } from '../../resources/quotas.ts';
import type { State } from '../../domain/states.ts';
import { resourcesOfKindInStates } from '../../stats/stats.ts';
import { requireTeamRole } from '../../identity/access.ts';
import { callerFromCloudEnv, CloudEnv, concertimService, projectOf } from './cloud-env.ts';
import { getBody, responses, tags } from './pipeline.ts';
import type { ConcertimApp } from './scope.ts';

/** Nova's word for "no limit". */
const unlimited = -1;

/** Nova's absolute limits from a team's quotas; cinder's are zero, as cloudplane has no volumes. */
function absoluteLimits(quotas: Quotas, usage: Usage) {
  return {
    maxTotalCores: quotas.maxCpus ?? unlimited,
    maxTotalRAMSize: quotas.maxMemoryMiB ?? unlimited,
    maxTotalInstances: quotas.maxResources?.server ?? unlimited,
    totalCoresUsed: usage.cpus,
    totalRAMUsed: usage.memoryMiB,
    totalInstancesUsed: usage.resources.server ?? 0,
    maxTotalVolumes: 0,
    maxTotalVolumeGigabytes: 0,
    totalVolumesUsed: 0,
    totalGigabytesUsed: 0,
  };
}

/** Nova's quota set (cores, ram, instances), Heat's stacks, and any other kind's limit under its plural. */
function quotaSet(teamId: string, quotas: Quotas) {
  const perKind = Object.fromEntries(
    Object.entries(quotas.maxResources ?? {})
      .filter(([kind]) => kind !== 'server')
      .map(([kind, max]) => [`${kind}s`, max]),
  );
  return { id: teamId, cores: quotas.maxCpus ?? unlimited, ram: quotas.maxMemoryMiB ?? unlimited, instances: quotas.maxResources?.server ?? unlimited, ...perKind, volumes: 0, gigabytes: 0 };
}

/** Servers that hold their cpus, memory and disk (Nova counts stopped and suspended instances too). */
const allocatedStates: State[] = ['provisioning', 'active', 'stopped', 'suspended', 'deleting'];

const gib = (mib: number) => mib / 1024;

async function cloudStatistics(ctx: ResourceContext) {
  const servers = await resourcesOfKindInStates(ctx, 'server', allocatedStates);
  const sum = (field: string) => servers.reduce((total, server) => total + Number(server.spec[field] ?? 0), 0);
  return {
    total_vcpus: null,
    used_vcpus: sum('cpus'),
    total_disk_space: null,
    used_disk_space: sum('diskGiB'),
    total_ram: null,
    used_ram: gib(sum('memoryMiB')),
    running_vms: servers.filter((server) => server.status.state === 'active').length,
  };
}

const Limits = Type.Record(Type.String(), Type.Integer(), { description: 'maxTotalCores, maxTotalRAMSize (MiB), maxTotalInstances, totalCoresUsed, ...; -1 is no limit' });
const QuotaSet = Type.Record(Type.String(), Type.Union([Type.Integer(), Type.String()]), { description: 'id (the team), cores, ram (MiB), instances, stacks, ...; -1 is no limit' });
const unknownTotal = Type.Union([Type.Number(), Type.Null()], { description: 'null: cloudplane keeps no inventory of host capacity' });
const Stats = Type.Object({
  total_vcpus: unknownTotal,
  used_vcpus: Type.Integer(),
  total_disk_space: unknownTotal,
  used_disk_space: Type.Number({ description: 'GiB' }),
  total_ram: unknownTotal,
  used_ram: Type.Number({ description: 'GiB' }),
  running_vms: Type.Integer(),
});
const LimitsBody = Type.Object({ cloud_env: CloudEnv });

export function cloudLimitRoutes(app: ConcertimApp, ctx: ResourceContext) {
  app.get(
    '/team/limits',
    {
      schema: {
        tags,
        summary: "The cloud_env project's (team's) limits and usage, as Nova and Cinder absolute limits",
        description: 'Takes a JSON body {"cloud_env": {...}} despite being a GET; the team is cloud_env.project_id (id or name).',
        response: responses(Type.Object({ success: Type.Boolean(), limits: Limits })),
      },
      preValidation: getBody(LimitsBody, ctx.config.server.bodyLimitBytes),
    },
    async (request, reply) => {
      const { cloud_env } = request.body as Static<typeof LimitsBody>;
      const { quotas, usage } = await getQuotas(ctx, await callerFromCloudEnv(ctx, cloud_env), projectOf(cloud_env));
      return reply.code(201).send({ success: true, limits: absoluteLimits(quotas, usage) });
    },
  );

  app.get(
    '/team/:team_project_id/quotas',
    {
      schema: {
        tags,
        summary: "A team's quotas (JWT only, as the original used its own credentials)",
        params: Type.Object({ team_project_id: Type.String() }),
        response: responses(Type.Object({ success: Type.Boolean(), quotas: QuotaSet })),
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
    { schema: { tags, summary: 'Allocated vCPUs, disk (GiB) and RAM (GiB) of live servers, and how many run', response: responses(Type.Object({ success: Type.Boolean(), stats: Stats })) } },
    async (_request, reply) => reply.code(201).send({ success: true, stats: await cloudStatistics(ctx) }),
  );
}
