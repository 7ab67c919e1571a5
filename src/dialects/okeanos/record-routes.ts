// The four authenticated routes lambda instances and lambda applications share: create, status, delete, list.
import { Type, type TObject } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../../api/app-types.ts';
import type { Resource } from '../../resources/models.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { okeanosCallerOf } from './authentication.ts';
import { paginate } from './pagination.ts';
import { canonicalUuid, createRecord, deleteRecord, listRecords, updateRecordStatus } from './records.ts';
import { route, withAndWithoutSlash, type Authentication } from './routing.ts';
import type { RecordFlavor } from './statuses.ts';
import { DetailBody, ErrorsBody, OkeanosError, sendJson, sendStatus, StatusEnvelope } from './wire.ts';

export interface RecordRoutes {
  flavor: RecordFlavor;
  /** `/api/lambda_instances`. */
  base: string;
  /** Further spellings of `<base>/<uuid>` for DELETE (the seed document's dash). */
  deleteAliases: string[];
  /** Fields of the create body besides uuid, name, status and failure_message. */
  createFields: TObject;
  /** spec.info of a new record, from the create body. */
  infoOf(body: Record<string, unknown>): Record<string, string>;
  /** One list item, its keys in the original's order. */
  itemOf(resource: Resource): Record<string, unknown>;
  listItem: TObject;
  words: { created: string; updated: string; deleted: string; list: string };
}

const StatusCode = Type.Union([Type.String(), Type.Integer()], { description: 'an okeanos status code, "0", "1", ...' });
const Text = Type.Union([Type.String(), Type.Null()]);
const UuidParams = Type.Object({ uuid: Type.String() });
const Link = Type.Union([Type.String(), Type.Null()]);
const ListBody = (item: TObject) =>
  Type.Object({
    data: Type.Array(item),
    pagination: Type.Optional(Type.Object({ count: Type.Integer(), previous: Link, next: Link }, { description: 'only with ?limit' })),
    status: Type.Object({ code: Type.Integer(), short_description: Type.String() }),
  });

/** The code as the original stores it (a CharField), checked against the flavor's choices. */
function requestedCode(flavor: RecordFlavor, value: unknown): string {
  const code = String(value);
  if (!Object.hasOwn(flavor.codes, code)) throw new OkeanosError(400, `status: "${code}" is not a valid choice.`);
  return code;
}

function uuidOf(value: string): string {
  const canonical = canonicalUuid(value);
  if (!canonical) throw new OkeanosError(400, `uuid: "${value}" is not a valid UUID.`);
  return canonical;
}

export function recordRoutes(app: ApiApp, ctx: ResourceContext, authentication: Authentication, spec: RecordRoutes) {
  const { flavor, base, words } = spec;
  const CreateBody = Type.Composite([
    Type.Object({ uuid: Type.String({ description: 'chosen by the service VM' }), name: Type.String(), status: StatusCode, failure_message: Text }),
    spec.createFields,
  ]);
  const Accepted = StatusEnvelope(Type.Object({ id: Type.String() }));
  const errors = { 400: ErrorsBody, 401: Type.Union([ErrorsBody, DetailBody]), 404: ErrorsBody, 409: ErrorsBody };

  route(app, 'POST', withAndWithoutSlash(base).reverse(), {
    authentication,
    schema: { summary: `Record a new ${flavor.type} (uuid chosen by the caller)`, body: CreateBody, response: { 202: Accepted, ...errors } },
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as Record<string, unknown> & { uuid: string; name: string; failure_message: string | null };
    const record = { uuid: uuidOf(body.uuid), name: body.name, info: spec.infoOf(body), code: requestedCode(flavor, body.status), failureMessage: body.failure_message ?? '' };
    await createRecord(ctx, okeanosCallerOf(request), flavor, record);
    return sendStatus(reply, 202, words.created, { id: body.uuid });
  });

  route(app, 'POST', withAndWithoutSlash(`${base}/:uuid/status`), {
    authentication,
    schema: {
      summary: `Report the okeanos status of a ${flavor.type} (and perhaps its failure message)`,
      params: UuidParams,
      body: Type.Object({ status: StatusCode, failure_message: Type.Optional(Text) }),
      response: { 202: Accepted, ...errors },
    },
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { uuid } = request.params as { uuid: string };
    const body = request.body as { status: unknown; failure_message?: string | null };
    await updateRecordStatus(ctx, okeanosCallerOf(request), flavor, uuid, requestedCode(flavor, body.status), body.failure_message ?? undefined);
    return sendStatus(reply, 202, words.updated, { id: uuid });
  });

  const deleteUrls = [`${base}/:uuid/`, `${base}/:uuid`, ...spec.deleteAliases.flatMap((alias) => withAndWithoutSlash(`${alias}/:uuid`))];
  route(app, 'DELETE', deleteUrls, {
    authentication,
    schema: { summary: `Delete a ${flavor.type}`, params: UuidParams, response: { 202: Accepted, ...errors } },
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const { uuid } = request.params as { uuid: string };
    await deleteRecord(ctx, okeanosCallerOf(request), flavor, uuid);
    return sendStatus(reply, 202, words.deleted, { id: uuid });
  });

  route(app, 'GET', withAndWithoutSlash(base).reverse(), {
    authentication,
    schema: {
      summary: `The caller's ${flavor.type}s; ?limit&offset paginate them (DRF LimitOffsetPagination)`,
      querystring: Type.Object({ limit: Type.Optional(Type.Unknown({ description: 'an integer >= 0' })), offset: Type.Optional(Type.Unknown({ description: 'an integer >= 0' })) }),
      response: { 200: ListBody(spec.listItem), ...errors },
    },
  }, async (request: FastifyRequest, reply: FastifyReply) => {
    const items = (await listRecords(ctx, okeanosCallerOf(request), flavor)).map(spec.itemOf);
    const paged = paginate(request, items);
    const status = { code: 200, short_description: words.list };
    return sendJson(reply, 200, paged ? { data: paged.page, pagination: paged.pagination, status } : { data: items, status });
  });
}
