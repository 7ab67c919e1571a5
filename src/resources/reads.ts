// Reading resources for the API: the store's read path (ids and versions first) and the rendered-JSON cache, so a
// get or a list page costs one small query and string joins once the resources' current versions are rendered.
import type { Caller } from '../domain/caller.ts';
import { notFound } from '../domain/errors.ts';
import { requireTeamRole } from '../identity/access.ts';
import { isUuid } from '../lib/ids.ts';
import type { ResourceContext } from './context.ts';
import type { RenderedResource } from './rendered.ts';
import { resourceFilterFor, type ResourceQuery } from './resources.ts';

export async function getRenderedResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
): Promise<RenderedResource> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  // Scoped to the caller's team by the query: the cache is only ever asked about a row the team holds.
  const current = isUuid(id) ? await ctx.store.reads.versionOf(team.id, id) : undefined;
  if (!current) throw notFound('resource', id);
  const kept = ctx.rendered.cached(id, current.resource_version);
  if (kept) return kept;
  const row = await ctx.store.reads.findResource(team.id, id);
  if (!row) throw notFound('resource', id);
  return ctx.rendered.render(row);
}

/** A page as listResources finds it, each item rendered; items are in id order. */
export async function listRenderedResources(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  query: ResourceQuery,
): Promise<RenderedResource[]> {
  const filter = await resourceFilterFor(ctx, caller, teamRef, query);
  const versions = await ctx.store.reads.listVersions(filter);
  const page = versions.map(([id, version]) => ctx.rendered.cached(id, version));
  const missing = versions.filter((_, i) => page[i] === undefined).map(([id]) => id);
  const fresh = new Map<string, RenderedResource>();
  for (const row of await ctx.store.reads.findResources(filter.teamId, missing))
    fresh.set(row.id, ctx.rendered.render(row));
  // A row changed since the page was read is shown as it is now; one purged since is left out.
  return versions
    .map(([id], i) => page[i] ?? fresh.get(id))
    .filter((item): item is RenderedResource => item !== undefined);
}
