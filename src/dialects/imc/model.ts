// IMC's infrastructures found among the IMC team's resources: one by id, all in one IMC status.
import type { EngineContext } from '../../engine/run-operation.ts';
import type { Caller } from '../../identity/caller.ts';
import { notFound } from '../../domain/errors.ts';
import { jobKind } from '../../resources/kinds/job.ts';
import type { Resource } from '../../resources/models.ts';
import { listOperations } from '../../resources/operations.ts';
import { getResource, listResources } from '../../resources/resources.ts';
import { states, type State } from '../../resources/states.ts';
import { imcStatusOf, wordsOf } from './states.ts';
import type { ImcStatus } from './wire.ts';

export interface ImcModel {
  find(caller: Caller, id: string): Promise<Resource>;
  statusOf(caller: Caller, resource: Resource): Promise<{ status: ImcStatus; reason: string | null }>;
  listInStatus(caller: Caller, status: string): Promise<Resource[]>;
}

export function imcModel(ctx: EngineContext, team: string): ImcModel {
  /** Only jobs are infrastructures: another kind in the team is as unknown as a wrong id. */
  async function find(caller: Caller, id: string): Promise<Resource> {
    const resource = await getResource(ctx, caller, team, id);
    if (resource.metadata.kind !== jobKind.name) throw notFound('infrastructure', id);
    return resource;
  }

  async function statusOf(caller: Caller, resource: Resource) {
    const started =
      resource.status.state === 'deleting' &&
      (await listOperations(ctx, caller, team, resource.metadata.id)).some((o) => o.type === 'delete' && (o.state !== 'queued' || o.attempts > 0));
    return imcStatusOf(resource, started);
  }

  async function allIn(caller: Caller, state: State): Promise<Resource[]> {
    const limit = ctx.config.api.maxPageSize;
    const found: Resource[] = [];
    for (let after: string | undefined; ; ) {
      const page = await listResources(ctx, caller, team, { kind: jobKind.name, state, after, limit });
      found.push(...page);
      if (page.length < limit) return found;
      after = page[page.length - 1].metadata.id;
    }
  }

  /** Oldest first; an unknown word matches no state and lists nothing, as on the real server. */
  async function listInStatus(caller: Caller, status: string) {
    const found: Resource[] = [];
    for (const state of states.filter((s) => wordsOf[s].includes(status as ImcStatus))) {
      for (const resource of await allIn(caller, state)) if ((await statusOf(caller, resource)).status === status) found.push(resource);
    }
    return found.sort((a, b) => a.metadata.createdAt.localeCompare(b.metadata.createdAt));
  }

  return { find, statusOf, listInStatus };
}
