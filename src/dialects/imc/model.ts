// IMC's infrastructures among the IMC team's resources (its jobs and servers): one by id, all in one IMC status, their cloud.
import type { ResourceContext } from '../../resources/context.ts';
import type { Caller } from '../../domain/caller.ts';
import { DomainError, notFound } from '../../domain/errors.ts';
import { jobKind } from '../../resources/kinds/job.ts';
import { serverKind } from '../../resources/kinds/server.ts';
import type { Resource } from '../../resources/models.ts';
import { listOperations } from '../../resources/operations.ts';
import { getResource, listResources } from '../../resources/resources.ts';
import { states, type State } from '../../domain/states.ts';
import { cloudLabel } from './machines.ts';
import { imcStatusOf, wordsOf } from './states.ts';
import type { ImcStatus } from './wire.ts';

const infrastructureKinds = [jobKind, serverKind];

export interface ImcModel {
  find(caller: Caller, id: string): Promise<Resource>;
  /** Whether `id` is an infrastructure already (a retried deploy); anything else under it is not. */
  exists(caller: Caller, id: string): Promise<boolean>;
  /** The site a machine was placed on; a job's, or a server's made elsewhere, is the driver that runs its kind. */
  cloudOf(resource: Resource): string;
  /** The driver that runs the IMC team's jobs: the one cloud a job table can go to. */
  jobCloud: string;
  statusOf(caller: Caller, resource: Resource): Promise<{ status: ImcStatus; reason: string | null }>;
  listInStatus(caller: Caller, status: string): Promise<Resource[]>;
}

export function imcModel(ctx: ResourceContext, team: string): ImcModel {
  /** Only jobs and servers are infrastructures: another kind in the team is as unknown as a wrong id. */
  async function find(caller: Caller, id: string): Promise<Resource> {
    const resource = await getResource(ctx, caller, team, id);
    if (!infrastructureKinds.some((kind) => kind.name === resource.metadata.kind)) throw notFound('infrastructure', id);
    return resource;
  }

  async function exists(caller: Caller, id: string): Promise<boolean> {
    try {
      await find(caller, id);
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not-found') return false;
      throw error;
    }
  }

  const driverOf = Object.fromEntries(
    infrastructureKinds.map((kind) => [kind.name, ctx.config.engine.drivers[kind.name] ?? kind.defaultDriver]),
  );
  const cloudOf = (resource: Resource) => resource.metadata.labels[cloudLabel] ?? driverOf[resource.metadata.kind];

  async function statusOf(caller: Caller, resource: Resource) {
    const started =
      resource.status.state === 'deleting' &&
      (await listOperations(ctx, caller, team, resource.metadata.id)).some(
        (o) => o.type === 'delete' && (o.state !== 'queued' || o.attempts > 0),
      );
    return imcStatusOf(resource, started);
  }

  async function allIn(caller: Caller, kind: string, state: State): Promise<Resource[]> {
    const limit = ctx.config.api.maxPageSize;
    const found: Resource[] = [];
    for (let after: string | undefined; ;) {
      const page = await listResources(ctx, caller, team, { kind, state, after, limit });
      found.push(...page);
      if (page.length < limit) return found;
      after = page[page.length - 1].metadata.id;
    }
  }

  /** Oldest first; an unknown word matches no state and lists nothing, as on the real server. */
  async function listInStatus(caller: Caller, status: string) {
    const found: Resource[] = [];
    for (const state of states.filter((s) => wordsOf[s].includes(status as ImcStatus))) {
      for (const kind of infrastructureKinds) {
        for (const resource of await allIn(caller, kind.name, state))
          if ((await statusOf(caller, resource)).status === status) found.push(resource);
      }
    }
    return found.sort((a, b) => a.metadata.createdAt.localeCompare(b.metadata.createdAt));
  }

  return { find, exists, cloudOf, jobCloud: driverOf[jobKind.name], statusOf, listInStatus };
}
