// Team quotas (cpus, memory, resources per kind): set by platform admins, checked when a resource is admitted.
import { Type, type Static } from '@sinclair/typebox';
import { commitChange, recordEvent } from '../domain/commit.ts';
import { conflict, forbidden } from '../domain/errors.ts';
import { requireTeamRole } from '../identity/access.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import type { ResourceRow } from '../store/resources.ts';
import { listTeamUsage, lockQuotasWithUsage } from '../store/usage.ts';
import { findTeamQuotas, setTeamQuotas, type TeamRow } from '../store/teams.ts';
import type { Db } from '../store/db.ts';
import type { KindDefinition } from './kinds/kind.ts';
import { requireKind } from './kinds/registry.ts';
import type { ResourceContext } from './context.ts';

export const Quotas = Type.Object(
  {
    maxCpus: Type.Optional(Type.Integer({ minimum: 0 })),
    maxMemoryMiB: Type.Optional(Type.Integer({ minimum: 0 })),
    maxResources: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-z]+$' }), Type.Integer({ minimum: 0 }), { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type Quotas = Static<typeof Quotas>;

export const Usage = Type.Object({
  cpus: Type.Integer(),
  memoryMiB: Type.Integer(),
  resources: Type.Record(Type.String(), Type.Integer()),
});
export type Usage = Static<typeof Usage>;

type Held = ReturnType<KindDefinition['usage']>;

type UsageRows = Awaited<ReturnType<typeof listTeamUsage>>;

/** What a team's live resources hold, from its counters (kept in the transaction of every change: src/store/usage.ts). */
function sumUsage(rows: UsageRows): Usage {
  const usage: Usage = { cpus: 0, memoryMiB: 0, resources: {} };
  for (const row of rows) {
    usage.cpus += row.cpus;
    usage.memoryMiB += row.memory_mib;
    if (row.resources > 0) usage.resources[row.kind] = row.resources;
  }
  return usage;
}

const usageOf = async (db: Db, teamId: string) => sumUsage(await listTeamUsage(db, teamId));

/**
 * Returns what a new (or grown) resource of `definition` with `spec` holds, or throws a 409 naming the quota it
 * would exceed; free when the team has none. The team row is locked first, so concurrent admissions count each other.
 */
export async function admit(
  db: Db,
  team: TeamRow,
  definition: KindDefinition,
  spec: Record<string, unknown>,
  replacing?: ResourceRow,
): Promise<Held> {
  const adds = definition.usage(spec as never);
  // Most teams have none: they take no lock. A quota set meanwhile reaches the cached row with its event.
  if (Object.keys(JSON.parse(team.quotas)).length === 0) return adds;
  const current = await lockQuotasWithUsage(db, team.id);
  const quotas = JSON.parse(current.quotas ?? team.quotas) as Quotas;
  if (Object.keys(quotas).length === 0) return adds;
  const kind = definition.name;
  const frees = replacing
    ? { cpus: replacing.usage_cpus, memoryMiB: replacing.usage_memory_mib }
    : { cpus: 0, memoryMiB: 0 };
  const usage = sumUsage(current.usage);
  const over: string[] = [];
  if (quotas.maxCpus !== undefined && usage.cpus - frees.cpus + adds.cpus > quotas.maxCpus)
    over.push(`cpus: ${usage.cpus - frees.cpus} used + ${adds.cpus} asked > ${quotas.maxCpus}`);
  if (quotas.maxMemoryMiB !== undefined && usage.memoryMiB - frees.memoryMiB + adds.memoryMiB > quotas.maxMemoryMiB) {
    over.push(
      `memoryMiB: ${usage.memoryMiB - frees.memoryMiB} used + ${adds.memoryMiB} asked > ${quotas.maxMemoryMiB}`,
    );
  }
  const maxOfKind = quotas.maxResources?.[kind];
  if (!replacing && maxOfKind !== undefined && (usage.resources[kind] ?? 0) + 1 > maxOfKind)
    over.push(`${kind} resources: ${usage.resources[kind] ?? 0} of ${maxOfKind}`);
  if (over.length > 0) throw conflict(`team ${team.name} quota exceeded: ${over.join('; ')}`, { quotaExceeded: over });
  return adds;
}

export async function getQuotas(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
): Promise<{ quotas: Quotas; usage: Usage }> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  const fresh = await findTeamQuotas(ctx.store.db, team.id);
  return { quotas: JSON.parse(fresh), usage: await usageOf(ctx.store.db, team.id) };
}

export async function setQuotas(ctx: ResourceContext, caller: Caller, teamRef: string, quotas: Quotas) {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  if (!actsAsPlatformAdmin(caller)) throw forbidden('only platform admins set quotas');
  for (const kind of Object.keys(quotas.maxResources ?? {})) requireKind(ctx.kinds, kind);
  await commitChange(
    ctx,
    async (db) => {
      await setTeamQuotas(db, team.id, JSON.stringify(quotas));
      await recordEvent(db, caller, {
        type: 'team.quotas',
        teamId: team.id,
        objectKind: 'team',
        objectId: team.id,
        data: quotas,
      });
    },
    { changesAccess: true },
  );
  return getQuotas(ctx, caller, team.id);
}
