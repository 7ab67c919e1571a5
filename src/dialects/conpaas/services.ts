// ConPaaS services as `service` resources of the user's own team: start, find by sid, list, rename, stop.
import { DomainError } from '../../domain/errors.ts';
import { deleteResource } from '../../resources/deletion.ts';
import type { Resource } from '../../resources/models.ts';
import { createResource, getResource, listResources, updateResource } from '../../resources/resources.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { issueServiceCertificates, type PkiContext, type SubjectNames } from '../../pki/certificates.ts';
import { catalogueOf, installedTypes } from '../../drivers/local/catalogue.ts';
import { failure } from './errors.ts';
import type { ConpaasCaller } from './auth.ts';
import { forgetSid, reserveSidWith, resourceIdOfSid, sidsOf } from './ids.ts';
import { defaultServiceName, serviceDict } from './views.ts';
import type { ServiceDict } from './wire.ts';
import { waitForManagerAddress } from './manager-address.ts';
import { writeManagerCertificates } from './manager-files.ts';
import { existingTeam, personalTeam } from './team.ts';

/** The configured list, else every type of the local driver's catalogue whose software is installed here. */
export function availableServices(ctx: ResourceContext): string[] {
  const configured = ctx.config.dialects.conpaas.availableServices;
  return configured.length > 0 ? configured : installedTypes(catalogueOf(ctx.config.engine.local.catalogue));
}

const isLive = (resource: Resource) =>
  resource.metadata.kind === 'service' && resource.status.state !== 'deleting' && resource.status.state !== 'deleted';

const creationError = (message: string) => failure(`Error upon service creation: ${message}`);

/** The names ConPaaS gives a user's and a service's certificates: its integer uid and sid, as the director's subjects had. */
export const conpaasNames = (who: ConpaasCaller, sid?: number): SubjectNames => ({
  uid: String(who.profile.uid),
  serviceLocator: sid === undefined ? undefined : String(sid),
});

/** The director's ManagerController._get_certificate: a key and certificate for the manager (role=manager, serviceLocator=<sid>), given to the service. */
async function giveManagerCertificates(
  ctx: ResourceContext,
  pki: PkiContext,
  who: ConpaasCaller,
  resourceId: string,
  sid: number,
): Promise<void> {
  const { cert, key, caCert } = await issueServiceCertificates(
    pki,
    who.caller,
    { role: 'manager', service: resourceId },
    { names: conpaasNames(who, sid) },
  );
  await writeManagerCertificates(ctx, resourceId, { cert, key, ca_cert: caCert });
}

/** The service, answering at its manager's address; else a creation error. */
async function startedDict(
  ctx: ResourceContext,
  pki: PkiContext,
  who: ConpaasCaller,
  teamId: string,
  resource: Resource,
  sid: number,
): Promise<ServiceDict> {
  await giveManagerCertificates(ctx, pki, who, resource.metadata.id, sid);
  const outcome = await waitForManagerAddress(ctx, who.caller, teamId, resource.metadata.id);
  if ('failure' in outcome) throw creationError(outcome.failure);
  return serviceDict(outcome.resource, sid, who.profile.uid);
}

/** Where an application's services live: a namespace of the personal team. */
export interface ServicePlace {
  teamId: string;
  namespaceId: string;
}

/**
 * Every service runs on this cloudplane's drivers: "default" is the only cloud there is. A failed start keeps nothing.
 * Without a place, the service goes in the personal team outside any application, as the 2012 director had none.
 */
export async function startService(
  ctx: ResourceContext,
  pki: PkiContext,
  who: ConpaasCaller,
  type: string,
  cloud: string,
  place?: ServicePlace,
): Promise<ServiceDict> {
  if (cloud !== 'default') throw creationError(`unknown cloud "${cloud}" (this director has only "default")`);
  const teamId = place?.teamId ?? (await personalTeam(ctx, who));
  let sid: number | undefined;
  let resource: Resource | undefined;
  try {
    resource = await createResource(ctx, who.caller, teamId, {
      kind: 'service',
      name: 'service',
      namespace: place?.namespaceId,
      spec: { type, displayName: defaultServiceName(type), cloud },
      // The sid is reserved, and names the service, in the create's own transaction: a crash keeps neither.
      hooks: {
        async prepareForCreate(db, row) {
          sid = await reserveSidWith(db, row.id);
          row.name = `service-${sid}`;
        },
      },
    });
    return await startedDict(ctx, pki, who, teamId, resource, sid!);
  } catch (error) {
    if (resource) {
      await deleteResource(ctx, who.caller, teamId, resource.metadata.id);
      await forgetSid(ctx, sid!);
    }
    if (error instanceof DomainError) throw creationError(error.message);
    throw error;
  }
}

/** The caller's live service with this sid, or undefined (unknown, another user's, stopped). */
export async function ownedService(
  ctx: ResourceContext,
  who: ConpaasCaller,
  sid: number,
): Promise<{ resource: Resource; teamId: string } | undefined> {
  const teamId = await existingTeam(ctx, who);
  const id = await resourceIdOfSid(ctx, sid);
  if (!teamId || !id) return undefined;
  return ownedResource(ctx, who, teamId, id);
}

export async function ownedResource(ctx: ResourceContext, who: ConpaasCaller, teamId: string, id: string) {
  try {
    const resource = await getResource(ctx, who.caller, teamId, id);
    return isLive(resource) ? { resource, teamId } : undefined;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not-found') return undefined;
    throw error;
  }
}

const pageSize = 500;

/** The live services of the team (of one namespace of it), each with its sid. */
export async function liveServices(
  ctx: ResourceContext,
  who: ConpaasCaller,
  teamId: string,
  namespace?: string,
): Promise<{ resource: Resource; sid: number }[]> {
  const services: Resource[] = [];
  for (let after: string | undefined; ;) {
    const page = await listResources(ctx, who.caller, teamId, { kind: 'service', namespace, after, limit: pageSize });
    services.push(...page.filter(isLive));
    if (page.length < pageSize) break;
    after = page[page.length - 1].metadata.id;
  }
  const sids = await sidsOf(
    ctx,
    services.map((s) => s.metadata.id),
  );
  return services.map((resource) => ({ resource, sid: sids.get(resource.metadata.id)! }));
}

/** Every live service of the personal team, in an application or not. */
export async function listServices(
  ctx: ResourceContext,
  who: ConpaasCaller,
): Promise<{ resource: Resource; sid: number }[]> {
  const teamId = await existingTeam(ctx, who);
  return teamId ? liveServices(ctx, who, teamId) : [];
}

/** A worker writing the service's status at the same moment is a conflict worth a few retries, not a `false`. */
async function withOwnedService(
  ctx: ResourceContext,
  who: ConpaasCaller,
  sid: number,
  change: (owned: { resource: Resource; teamId: string }) => Promise<unknown>,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const owned = await ownedService(ctx, who, sid);
    if (!owned) return false;
    try {
      await change(owned);
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code !== 'conflict' || attempt === conflictRetries) return false;
    }
  }
}

const conflictRetries = 5;

/** Renaming changes only spec.displayName, which the driver applies without a restart. */
export const renameService = (ctx: ResourceContext, who: ConpaasCaller, sid: number, name: string) =>
  withOwnedService(ctx, who, sid, ({ resource, teamId }) =>
    updateResource(ctx, who.caller, teamId, resource.metadata.id, { spec: { ...resource.spec, displayName: name } }),
  );

/** Stopping deletes the service, as the director did; the engine tears it down. */
export const stopService = (ctx: ResourceContext, who: ConpaasCaller, sid: number) =>
  withOwnedService(ctx, who, sid, ({ resource, teamId }) =>
    deleteResource(ctx, who.caller, teamId, resource.metadata.id),
  );
