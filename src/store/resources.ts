// SQL for resources and their labels.
import { sql, type ExpressionBuilder } from 'kysely';
import { columnsOf, precompiledInsert, precompiledInsertRows } from './precompiled.ts';
import { sqlDialectOf, type Db } from './db.ts';
import type { Database, ResourcesTable } from './tables.ts';
import { recordUsageChange } from './usage.ts';

export type ResourceRow = ResourcesTable;

export interface LabelRequirement {
  key: string;
  operator: 'equals' | 'notEquals' | 'in' | 'notIn' | 'exists' | 'doesNotExist';
  values: string[];
}

export interface ResourceFilter {
  teamId: string;
  kind?: string;
  name?: string;
  namespaceId?: string;
  parentId?: string;
  state?: string;
  includeDeleted?: boolean;
  labels?: LabelRequirement[];
  afterId?: string;
  limit: number;
}

const insertRow = precompiledInsert(
  'resources',
  columnsOf<ResourcesTable>({
    id: true,
    team_id: true,
    namespace_id: true,
    kind: true,
    name: true,
    parent_id: true,
    labels: true,
    spec: true,
    state: true,
    status: true,
    generation: true,
    resource_version: true,
    created_by: true,
    created_at: true,
    updated_at: true,
    deletion_requested_at: true,
    driver: true,
    usage_cpus: true,
    usage_memory_mib: true,
  }),
);
const insertLabels = precompiledInsertRows('resource_labels', ['resource_id', 'key', 'value']);

/** All of a resource's labels in one statement (a batch holds one write per table: src/store/batched-writes.ts). */
const writeLabels = (db: Db, resourceId: string, labels: Record<string, string>) =>
  insertLabels(
    db,
    Object.entries(labels).map(([key, value]) => ({ resource_id: resourceId, key, value })),
  );

/** Writes a new resource with its labels, and counts what it holds in its team's usage. */
export async function insertResource(db: Db, row: ResourceRow) {
  await insertRow(db, row as unknown as Record<string, unknown>);
  await writeLabels(db, row.id, JSON.parse(row.labels));
  await recordUsageChange(db, undefined, row);
}

export const findResource = (db: Db, teamId: string, id: string) =>
  db.selectFrom('resources').selectAll().where('team_id', '=', teamId).where('id', '=', id).executeTakeFirst();

/**
 * Inside a transaction, reads a resource whose state a change depends on and holds it until the
 * transaction ends: PostgreSQL locks the row; SQLite has one writer, which already serializes them.
 */
export const lockResource = (db: Db, teamId: string, id: string) =>
  db
    .selectFrom('resources')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('id', '=', id)
    .$if(sqlDialectOf(db) === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();

/** A resource in any team: for callers that are given only an id (Concertim's update_status). */
export const findResourceById = (db: Db, id: string) =>
  db.selectFrom('resources').selectAll().where('id', '=', id).executeTakeFirst();

export const findResourceState = async (db: Db, id: string) =>
  (await db.selectFrom('resources').select('state').where('id', '=', id).executeTakeFirst())?.state;

/** A page of the resources of some kinds of one driver in one state, across teams, in id order (the reconcile sweep). */
export const listResourcesOfDriverInState = (
  db: Db,
  driver: string,
  kinds: readonly string[],
  state: string,
  afterId: string,
  limit: number,
) =>
  db
    .selectFrom('resources')
    .selectAll()
    .where('driver', '=', driver)
    .where('state', '=', state)
    .where('kind', 'in', kinds)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();

/**
 * Resources of the external driver whose agent has not reported since `before`, in `states`. Read through the
 * (state, updated_at) index: only the silent ones, not every agent-owned resource (100k, every second). SQLite's
 * planner would pick the (driver, state) index; a unary + keeps it off that column, as SQLite documents.
 */
export const listSilentExternalResources = (db: Db, states: readonly string[], before: string) =>
  db
    .selectFrom('resources')
    .select(['id', 'updated_at'])
    .where(sqlDialectOf(db) === 'sqlite' ? sql<string>`+driver` : sql<string>`driver`, '=', 'external')
    .where('state', 'in', states)
    .where('updated_at', '<', before)
    .execute();

export const findLiveResourceByName = (
  db: Db,
  teamId: string,
  kind: string,
  name: string,
  namespaceId: string | null,
) =>
  db
    .selectFrom('resources')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('kind', '=', kind)
    .where('name', '=', name)
    .where('state', '<>', 'deleted')
    .where('namespace_id', namespaceId === null ? 'is' : '=', namespaceId)
    .executeTakeFirst();

function labelCondition(eb: ExpressionBuilder<Database, 'resources'>, requirement: LabelRequirement) {
  const matching = (withValues: boolean) =>
    eb
      .selectFrom('resource_labels')
      .select('resource_labels.key')
      .whereRef('resource_labels.resource_id', '=', 'resources.id')
      .where('resource_labels.key', '=', requirement.key)
      .$if(withValues, (q) => q.where('resource_labels.value', 'in', requirement.values));
  switch (requirement.operator) {
    case 'equals':
    case 'in':
      return eb.exists(matching(true));
    case 'notEquals':
    case 'notIn':
      return eb.not(eb.exists(matching(true)));
    case 'exists':
      return eb.exists(matching(false));
    case 'doesNotExist':
      return eb.not(eb.exists(matching(false)));
  }
}

/** The query of `listResources`, for readers that select other columns or run it elsewhere. */
export function resourceListQuery(db: Db, filter: ResourceFilter) {
  let query = db.selectFrom('resources').selectAll().where('team_id', '=', filter.teamId);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.name) query = query.where('name', '=', filter.name);
  if (filter.namespaceId) query = query.where('namespace_id', '=', filter.namespaceId);
  if (filter.parentId) query = query.where('parent_id', '=', filter.parentId);
  if (filter.state) query = query.where('state', '=', filter.state);
  else if (!filter.includeDeleted) query = query.where('state', '<>', 'deleted');
  for (const requirement of filter.labels ?? []) query = query.where((eb) => labelCondition(eb, requirement));
  if (filter.afterId) query = query.where('id', '>', filter.afterId);
  return query.orderBy('id').limit(filter.limit);
}

export const listResources = (db: Db, filter: ResourceFilter) => resourceListQuery(db, filter).execute();

/** A page as [id, resource_version] only: read from a covering index (migration 011), never the table's rows. */
export const resourcePageQuery = (db: Db, filter: ResourceFilter) =>
  resourceListQuery(db, filter).clearSelect().select(['resources.id', 'resources.resource_version']);

/**
 * Writes `row` over `previous` only if nobody else wrote since `previous` was read (its resource_version);
 * false means a conflict. The team's usage moves from what `previous` held to what `row` holds.
 */
export async function updateResource(db: Db, row: ResourceRow, previous: ResourceRow, labelsChanged: boolean) {
  const result = await db
    .updateTable('resources')
    .set({
      labels: row.labels,
      spec: row.spec,
      state: row.state,
      status: row.status,
      generation: row.generation,
      resource_version: row.resource_version,
      updated_at: row.updated_at,
      deletion_requested_at: row.deletion_requested_at,
      usage_cpus: row.usage_cpus,
      usage_memory_mib: row.usage_memory_mib,
    })
    .where('id', '=', row.id)
    .where('resource_version', '=', previous.resource_version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordUsageChange(db, previous, row);
  if (labelsChanged) {
    await db.deleteFrom('resource_labels').where('resource_id', '=', row.id).execute();
    await writeLabels(db, row.id, JSON.parse(row.labels));
  }
  return true;
}

export const listChildren = (db: Db, parentId: string) =>
  db.selectFrom('resources').selectAll().where('parent_id', '=', parentId).where('state', '<>', 'deleted').execute();

export const listLiveResourcesOfTeam = (db: Db, teamId: string, namespaceId?: string) =>
  db
    .selectFrom('resources')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('state', '<>', 'deleted')
    .$if(namespaceId !== undefined, (q) => q.where('namespace_id', '=', namespaceId!))
    .orderBy('id', 'desc')
    .execute();

/** Whether a team has a resource in `state` (the billing sweep's check before it prices a prepaid team). */
export const hasResourceInState = async (db: Db, teamId: string, state: string) =>
  (await db
    .selectFrom('resources')
    .select('id')
    .where('team_id', '=', teamId)
    .where('state', '=', state)
    .limit(1)
    .executeTakeFirst()) !== undefined;

/** Resources of a team (or one namespace of it) whose deletion was asked for and failed, oldest failure first. */
export const listFailedDeletions = (db: Db, scope: { teamId: string; namespaceId?: string }, limit: number) =>
  db
    .selectFrom('resources')
    .selectAll()
    .where('team_id', '=', scope.teamId)
    .where('state', '=', 'failed')
    .where('deletion_requested_at', 'is not', null)
    .$if(scope.namespaceId !== undefined, (q) => q.where('namespace_id', '=', scope.namespaceId!))
    .orderBy('updated_at')
    .limit(limit)
    .execute();

export async function countLiveResources(db: Db, scope: { teamId: string; namespaceId?: string }): Promise<number> {
  const row = await db
    .selectFrom('resources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('team_id', '=', scope.teamId)
    .where('state', '<>', 'deleted')
    .$if(scope.namespaceId !== undefined, (q) => q.where('namespace_id', '=', scope.namespaceId!))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Resources of `kind` in a namespace that are neither being deleted nor gone, but for `exceptId`. */
export async function countStandingInNamespace(
  db: Db,
  namespaceId: string,
  kind: string,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom('resources')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('namespace_id', '=', namespaceId)
    .where('kind', '=', kind)
    .where('state', 'not in', ['deleting', 'deleted'])
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Resources deleted before `before` with no child row and no work left: safe to remove for good. */
export const listPurgeableResources = (db: Db, before: string, limit: number) =>
  db
    .selectFrom('resources')
    .select('id')
    .where('state', '=', 'deleted')
    .where('updated_at', '<', before)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('resources as child').select('child.id').whereRef('child.parent_id', '=', 'resources.id'),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('operations')
            .select('operations.id')
            .whereRef('operations.resource_id', '=', 'resources.id')
            .where('operations.state', 'in', ['queued', 'running']),
        ),
      ),
    )
    .orderBy('updated_at')
    .limit(limit)
    .execute();

/** Removes deleted resources with their labels and their operations (deleted, they hold nothing of their team's usage). */
export async function removeResources(db: Db, ids: string[]) {
  if (ids.length === 0) return;
  await db.deleteFrom('operations').where('resource_id', 'in', ids).execute();
  await db.deleteFrom('resource_labels').where('resource_id', 'in', ids).execute();
  await db.deleteFrom('resources').where('id', 'in', ids).execute();
}

export const countResourcesByKindAndState = (db: Db) =>
  db
    .selectFrom('resources')
    .select(['kind', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['kind', 'state'])
    .execute();

/** Resources of one kind in the given states across every team (for public counts). */
export const listResourcesOfKindInStates = (db: Db, kind: string, states: readonly string[]) =>
  db.selectFrom('resources').selectAll().where('kind', '=', kind).where('state', 'in', states).orderBy('id').execute();
