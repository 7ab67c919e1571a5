// Lambda instances and applications as service resources of the external driver, in the caller's
// personal team: the uuid is the resource id, the okeanos status code rides in status.details.
import { DomainError } from '../../domain/errors.ts';
import type { Resource } from '../../resources/models.ts';
import { deleteResource } from '../../resources/deletion.ts';
import { purgeDeletedResource } from '../../resources/purge.ts';
import { reportStatus } from '../../resources/reported-status.ts';
import { createResource, getResource, listResources } from '../../resources/resources.ts';
import { type ResourceContext } from '../../resources/context.ts';
import type { OkeanosCaller } from './auth.ts';
import { messages, OkeanosError } from './errors.ts';
import { canonicalUuid } from './ids.ts';
import { codeOf, lambdaApplications, reportFor, type RecordFlavor } from './statuses.ts';

export interface NewRecord {
  uuid: string;
  name: string;
  /** instance_info of an instance, description of an application. */
  info: Record<string, string>;
  code: string;
  failureMessage: string;
}

/** Deleting records are gone for okeanos, as the original removed the row. */
const isLive = (resource: Resource) => resource.status.state !== 'deleting' && resource.status.state !== 'deleted';

export const isRecordOf = (flavor: RecordFlavor, resource: Resource) =>
  resource.spec.type === flavor.type && isLive(resource);

const alreadyExists = (error: unknown) => error instanceof DomainError && error.details.reason === 'already-exists';

/**
 * The original removed a deleted record's row, so its uuid could be created again: a deleted record of the
 * caller's team is purged first (its events stay). A live one, or one still being deleted, is the 409.
 */
export async function createRecord(
  ctx: ResourceContext,
  who: OkeanosCaller,
  flavor: RecordFlavor,
  record: NewRecord,
): Promise<Resource> {
  const create = () =>
    createResource(ctx, who.caller, who.team, {
      id: record.uuid,
      kind: 'service',
      name: record.uuid,
      spec: { type: flavor.type, displayName: record.name, cloud: 'okeanos', info: record.info },
      driver: 'external',
      reportedStatus: reportFor(flavor, record.code, record.failureMessage, true),
    });
  try {
    return await create();
  } catch (error) {
    if (!alreadyExists(error)) throw error;
  }
  try {
    if (await purgeDeletedResource(ctx, who.caller, who.team, record.uuid)) return await create();
  } catch (error) {
    if (!alreadyExists(error)) throw error;
  }
  throw new OkeanosError(409, flavor.alreadyCreated);
}

/** The caller's records, oldest first (the order the original's table gave). */
export async function listRecords(ctx: ResourceContext, who: OkeanosCaller, flavor: RecordFlavor): Promise<Resource[]> {
  const all: Resource[] = [];
  const limit = ctx.config.api.maxPageSize;
  for (let after: string | undefined; ;) {
    const page = await listResources(ctx, who.caller, who.team, { kind: 'service', after, limit });
    all.push(...page.filter((resource) => isRecordOf(flavor, resource)));
    if (page.length < limit) break;
    after = page[page.length - 1].metadata.id;
  }
  return all.sort(
    (a, b) => a.metadata.createdAt.localeCompare(b.metadata.createdAt) || a.metadata.id.localeCompare(b.metadata.id),
  );
}

async function findRecord(
  ctx: ResourceContext,
  who: OkeanosCaller,
  flavor: RecordFlavor,
  uuid: string,
): Promise<Resource> {
  const id = canonicalUuid(uuid);
  try {
    const resource = id === undefined ? undefined : await getResource(ctx, who.caller, who.team, id);
    if (resource && isRecordOf(flavor, resource)) return resource;
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'not-found')) throw error;
  }
  throw new OkeanosError(404, flavor.notFound);
}

export async function updateRecordStatus(
  ctx: ResourceContext,
  who: OkeanosCaller,
  flavor: RecordFlavor,
  uuid: string,
  code: string,
  failureMessage?: string,
) {
  const resource = await findRecord(ctx, who, flavor, uuid);
  // The original says "lambda instance" for applications too.
  if (codeOf(flavor, resource) === code)
    throw new OkeanosError(409, `The specified lambda instance is already ${code}.`);
  return reportStatus(ctx, who.caller, who.team, resource.metadata.id, reportFor(flavor, code, failureMessage));
}

export async function deleteRecord(ctx: ResourceContext, who: OkeanosCaller, flavor: RecordFlavor, uuid: string) {
  const resource = await findRecord(ctx, who, flavor, uuid);
  return deleteResource(ctx, who.caller, who.team, resource.metadata.id);
}

/** How often the service VM started an application (the later central service's times_started). */
export function timesStartedOf(resource: Resource): number {
  const times = resource.status.details.okeanosTimesStarted;
  return typeof times === 'number' ? times : 0;
}

/**
 * increment_started / decrement_started: the counter rides in status.details, the state stays. As in the
 * original (a Celery task's read, add, save), two changes of one application at the same moment may count once.
 */
export async function changeTimesStarted(ctx: ResourceContext, who: OkeanosCaller, uuid: string, by: 1 | -1) {
  const application = await findRecord(ctx, who, lambdaApplications, uuid);
  const times = timesStartedOf(application);
  if (times + by < 0) throw new OkeanosError(409, messages.counterAtZero);
  const { state, message } = application.status;
  return reportStatus(ctx, who.caller, who.team, application.metadata.id, {
    state,
    message,
    details: { okeanosTimesStarted: times + by },
  });
}
