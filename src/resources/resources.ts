// The generic resource service: create, read, list, update and delete any registered kind.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ResourceContext } from './context.ts';
import { conflict, invalid, notFound, preconditionFailed } from '../domain/errors.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { isUuid, newId, nowIso } from '../lib/ids.ts';
import * as store from '../store/resources.ts';
import { findNamespace } from '../store/teams.ts';
import type { Db } from '../store/db.ts';
import { enqueueOperation } from '../store/outbox.ts';
import type { DriverName } from '../config/schema.ts';
import type { KindDefinition } from './kinds/kind.ts';
import { requireKind, type RegisteredKind } from './kinds/registry.ts';
import { admit } from './quotas.ts';
import { raceLost, retryLostRaces } from './races.ts';
import { parseLabelSelector } from './label-selector.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Labels, type Resource } from './models.ts';
import { toResource, type StoredStatus } from './resource-row.ts';
import type { State } from '../domain/states.ts';

const labelsCheck = TypeCompiler.Compile(Labels);

/** Labels are checked here, not only by a route schema, because dialects write them too. */
function checkLabels(labels: Record<string, string> | undefined) {
  const problem = labels === undefined ? undefined : labelsCheck.Errors(labels).First();
  if (problem) throw invalid(`invalid labels: ${problem.path || '/'}: ${problem.message}`, { field: 'labels' });
}

export interface NewResource {
  id?: string;
  kind: string;
  name: string;
  namespace?: string;
  parent?: string;
  labels?: Record<string, string>;
  spec?: unknown;
  /** Who carries it out; by default the driver engine.drivers names for the kind, else the kind's own. */
  driver?: DriverName;
  /** What its agent already reports at creation (external driver only), instead of pending. */
  reportedStatus?: { state: State; message: string; details?: Record<string, unknown> };
  /** A dialect's own rows and rules, kept in the create's one transaction (see CreateHooks). */
  hooks?: CreateHooks;
}

/**
 * Work around the store's one write of a new resource, in its transaction (as Kubernetes registry
 * strategies' PrepareForCreate and AfterCreate): a dialect's own rules and rows (its ids, mappings).
 * Throwing rolls the whole create back, so a crash never leaves a resource without its dialect rows,
 * or the rows without the resource.
 */
export interface CreateHooks {
  /** Before the row is written; may set its name (ConPaaS names a service by the sid it reserves here). */
  prepareForCreate?: (db: Db, row: store.ResourceRow) => Promise<void>;
  afterCreate?: (db: Db, row: store.ResourceRow) => Promise<void>;
}

function initialStatus(
  kind: RegisteredKind,
  driver: string,
  reported: NewResource['reportedStatus'],
): { state: State; status: StoredStatus } {
  if (!reported)
    return {
      state: 'pending',
      status: { message: 'waiting to be provisioned', conditions: [], observedGeneration: 0, details: {} },
    };
  if (driver !== 'external')
    throw invalid('only resources of the external driver start with a reported status', { field: 'status' });
  const { states } = kind.definition;
  if (!states.includes(reported.state) || reported.state === 'deleting' || reported.state === 'deleted') {
    throw invalid(`a new ${kind.definition.name} cannot be ${reported.state}`, { field: 'status' });
  }
  return {
    state: reported.state,
    status: { message: reported.message, conditions: [], observedGeneration: 0, details: reported.details ?? {} },
  };
}

export async function resolveNamespace(db: Db, teamId: string, ref: string | undefined): Promise<string | null> {
  if (ref === undefined) return null;
  const namespace = await findNamespace(db, teamId, ref);
  if (!namespace) throw invalid(`namespace "${ref}" does not exist in this team`, { field: 'namespace' });
  if (namespace.deletion_requested_at) throw conflict(`namespace "${ref}" is being deleted`);
  return namespace.id;
}

async function resolveParent(db: Db, teamId: string, definition: KindDefinition, ref: string | undefined) {
  const { name: kindName, parent: rule } = definition;
  if (ref === undefined) {
    if (rule?.required)
      throw invalid(`a ${kindName} needs a parent of kind ${rule.kinds.join(' or ')}`, { field: 'parent' });
    return undefined;
  }
  if (!rule) throw invalid(`a ${kindName} cannot have a parent`, { field: 'parent' });
  const parent = isUuid(ref) ? await store.findResource(db, teamId, ref) : undefined;
  if (!parent || parent.state === 'deleted' || parent.state === 'deleting') {
    throw invalid(`parent ${ref} does not exist in this team`, { field: 'parent' });
  }
  if (!rule.kinds.includes(parent.kind))
    throw invalid(`a ${kindName} cannot be a child of a ${parent.kind}`, { field: 'parent' });
  return parent;
}

export async function createResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  input: NewResource,
): Promise<Resource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  if (team.deletion_requested_at) throw conflict(`team ${team.name} is being deleted`);
  const kind = requireKind(ctx.kinds, input.kind);
  const spec = kind.prepareSpec(input.spec);
  checkLabels(input.labels);
  const at = nowIso();
  const driver = input.driver ?? ctx.config.engine.drivers[input.kind] ?? kind.definition.defaultDriver;
  const initial = initialStatus(kind, driver, input.reportedStatus);
  try {
    return await commitChange(ctx, async (db) => {
      const held = await admit(db, team, kind.definition, spec);
      const parent = await resolveParent(db, team.id, kind.definition, input.parent);
      let namespaceId = await resolveNamespace(db, team.id, input.namespace);
      if (parent && input.namespace === undefined) namespaceId = parent.namespace_id;
      if (parent && parent.namespace_id !== namespaceId)
        throw invalid('a resource must be in the namespace of its parent', { field: 'namespace' });
      const row: store.ResourceRow = {
        id: input.id ?? newId(),
        team_id: team.id,
        namespace_id: namespaceId,
        kind: input.kind,
        name: input.name,
        parent_id: parent?.id ?? null,
        labels: JSON.stringify(input.labels ?? {}),
        spec: JSON.stringify(spec),
        state: initial.state,
        status: JSON.stringify(initial.status),
        generation: 1,
        resource_version: 1,
        created_by: caller.userId,
        created_at: at,
        updated_at: at,
        deletion_requested_at: null,
        driver,
        usage_cpus: held.cpus,
        usage_memory_mib: held.memoryMiB,
      };
      await input.hooks?.prepareForCreate?.(db, row);
      await store.insertResource(db, row);
      await input.hooks?.afterCreate?.(db, row);
      await enqueueOperation(db, row, 'apply');
      // The spec rides along so that metering can price each size a resource had, from events alone.
      await recordEvent(db, caller, {
        type: 'resource.created',
        teamId: team.id,
        objectKind: row.kind,
        objectId: row.id,
        data: { name: row.name, state: row.state, spec },
      });
      return toResource(row);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A taken id is refused alike whoever holds it: the answer must not tell another tenant's ids from the caller's.
      const message =
        input.id && !(await isNameTaken(ctx, team.id, input))
          ? `id ${input.id} is not available; choose another or let the server choose`
          : `a ${input.kind} named "${input.name}" already exists here`;
      throw conflict(message, { reason: 'already-exists' });
    }
    throw error;
  }
}

async function isNameTaken(ctx: ResourceContext, teamId: string, input: NewResource) {
  const namespaceId =
    input.namespace === undefined ? null : await resolveNamespace(ctx.store.db, teamId, input.namespace);
  return (await store.findLiveResourceByName(ctx.store.db, teamId, input.kind, input.name, namespaceId)) !== undefined;
}

export async function findRow(db: Db, teamId: string, id: string) {
  const row = isUuid(id) ? await store.findResource(db, teamId, id) : undefined;
  if (!row) throw notFound('resource', id);
  return row;
}

export async function getResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
): Promise<Resource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  return toResource(await findRow(ctx.store.db, team.id, id));
}

export interface ResourceQuery {
  kind?: string;
  name?: string;
  namespace?: string;
  parent?: string;
  state?: State;
  labelSelector?: string;
  includeDeleted?: boolean;
  after?: string;
  limit: number;
}

/** The store's filter for a team's list as `query` asks it, once the caller may view the team. */
export async function resourceFilterFor(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  query: ResourceQuery,
): Promise<store.ResourceFilter> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  if (query.kind !== undefined) requireKind(ctx.kinds, query.kind);
  const labels = parseLabelSelector(query.labelSelector);
  const namespaceId =
    query.namespace === undefined ? undefined : await resolveNamespace(ctx.store.db, team.id, query.namespace);
  return {
    teamId: team.id,
    kind: query.kind,
    name: query.name,
    namespaceId: namespaceId ?? undefined,
    parentId: query.parent,
    state: query.state,
    includeDeleted: query.includeDeleted,
    labels,
    afterId: query.after,
    limit: query.limit,
  };
}

export async function listResources(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  query: ResourceQuery,
): Promise<Resource[]> {
  const rows = await store.listResources(ctx.store.db, await resourceFilterFor(ctx, caller, teamRef, query));
  return rows.map(toResource);
}

export function checkVersion(row: store.ResourceRow, expectedVersion: string | undefined) {
  if (expectedVersion !== undefined && expectedVersion !== String(row.resource_version)) {
    throw preconditionFailed(`resource ${row.id} is at version ${row.resource_version}, not ${expectedVersion}`, {
      currentVersion: String(row.resource_version),
    });
  }
}

export interface ResourceChanges {
  spec?: unknown;
  labels?: Record<string, string>;
}

/** Replaces spec and/or labels; a spec change starts a new generation for the engine to reconcile. */
function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

export async function updateResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  changes: ResourceChanges,
  expectedVersion?: string,
): Promise<Resource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  checkLabels(changes.labels);
  return retryLostRaces(expectedVersion, () =>
    commitChange(ctx, async (db) => {
      const row = await findRow(db, team.id, id);
      checkVersion(row, expectedVersion);
      if (row.state === 'deleting' || row.state === 'deleted') throw conflict(`resource ${id} is ${row.state}`);
      const kind = requireKind(ctx.kinds, row.kind);
      const next = { ...row, resource_version: row.resource_version + 1, updated_at: nowIso() };
      if (changes.spec !== undefined) {
        const spec = JSON.stringify(kind.prepareSpec(changes.spec));
        if (spec !== row.spec) {
          if (!kind.definition.specUpdatable) throw conflict(`the spec of a ${row.kind} cannot change after creation`);
          const held = await admit(db, team, kind.definition, JSON.parse(spec), row);
          next.spec = spec;
          next.generation = row.generation + 1;
          next.usage_cpus = held.cpus;
          next.usage_memory_mib = held.memoryMiB;
        }
      }
      if (changes.labels !== undefined && !sameLabels(JSON.parse(row.labels), changes.labels))
        next.labels = JSON.stringify(changes.labels);
      // A replace that changes nothing writes nothing, so `apply` may run again and again.
      if (next.spec === row.spec && next.labels === row.labels) return toResource(row);
      if (!(await store.updateResource(db, next, row, next.labels !== row.labels))) {
        throw raceLost(`resource ${id} changed while it was being updated; retry`);
      }
      if (next.generation !== row.generation) await enqueueOperation(db, next, 'apply');
      const data =
        next.spec === row.spec
          ? { generation: next.generation }
          : { generation: next.generation, spec: JSON.parse(next.spec) };
      await recordEvent(db, caller, {
        type: 'resource.updated',
        teamId: team.id,
        objectKind: row.kind,
        objectId: row.id,
        data,
      });
      return toResource(next);
    }),
  );
}
