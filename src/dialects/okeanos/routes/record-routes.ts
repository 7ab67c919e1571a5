// The four authenticated routes lambda instances and lambda applications share: create, status, delete, list.
import type { TObject } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../../../api/app-types.ts';
import type { Resource } from '../../../resources/models.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { okeanosCallerOf } from '../auth.ts';
import { OkeanosError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { paginate } from '../pagination.ts';
import { createRecord, deleteRecord, listRecords, updateRecordStatus } from '../records.ts';
import { sendJson, sendStatus } from '../reply.ts';
import { route, withAndWithoutSlash, type Authentication } from '../routing.ts';
import type { RecordFlavor } from '../statuses.ts';
import { Accepted, CreateBody, errorResponses, ListBody, PageQuery, StatusUpdateBody, UuidParams } from '../wire.ts';

export interface RecordRoutes {
  flavor: RecordFlavor;
  /** `/api/lambda_instances`. */
  base: string;
  /** What an operationId calls one record: `LambdaInstance` (updateLambdaInstanceStatus). */
  noun: string;
  /** Further spellings of `<base>/<uuid>` for DELETE (the seed document's dash). */
  deleteAliases: string[];
  /** Fields of the create body besides uuid, name, status and failure_message. */
  createFields: TObject;
  /** spec.info of a new record, from the create body. */
  infoOf(body: Record<string, unknown>): Record<string, string>;
  /** One list item, its keys in the original's order. */
  itemOf(resource: Resource): object;
  listItem: TObject;
  words: { created: string; updated: string; deleted: string; list: string };
}

/** The code as the original stores it (a CharField), checked against the flavor's choices. */
function requestedCode(flavor: RecordFlavor, value: unknown): string {
  const code = String(value);
  if (!Object.hasOwn(flavor.codes, code)) throw new OkeanosError(400, `status: "${code}" is not a valid choice.`);
  return code;
}

export function recordRoutes(app: ApiApp, ctx: ResourceContext, authentication: Authentication, spec: RecordRoutes) {
  const { flavor, base, words } = spec;

  route(
    app,
    'POST',
    withAndWithoutSlash(base).reverse(),
    {
      authentication,
      schema: {
        summary: `Record a new ${flavor.type} (uuid chosen by the caller)`,
        body: CreateBody(spec.createFields),
        response: { 202: Accepted, ...errorResponses },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as CreateBody;
      const record = {
        uuid: requireUuid(body.uuid),
        name: body.name,
        info: spec.infoOf(body),
        code: requestedCode(flavor, body.status),
        failureMessage: body.failure_message ?? '',
      };
      await createRecord(ctx, okeanosCallerOf(request), flavor, record);
      return sendStatus(reply, 202, words.created, { id: body.uuid });
    },
  );

  route(
    app,
    'POST',
    withAndWithoutSlash(`${base}/:uuid/status`),
    {
      authentication,
      schema: {
        operationId: `update${spec.noun}Status`,
        summary: `Report the okeanos status of a ${flavor.type} (and perhaps its failure message)`,
        params: UuidParams,
        body: StatusUpdateBody,
        response: { 202: Accepted, ...errorResponses },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { uuid } = request.params as { uuid: string };
      const body = request.body as StatusUpdateBody;
      await updateRecordStatus(
        ctx,
        okeanosCallerOf(request),
        flavor,
        uuid,
        requestedCode(flavor, body.status),
        body.failure_message ?? undefined,
      );
      return sendStatus(reply, 202, words.updated, { id: uuid });
    },
  );

  const deleteUrls = [
    `${base}/:uuid/`,
    `${base}/:uuid`,
    ...spec.deleteAliases.flatMap((alias) => withAndWithoutSlash(`${alias}/:uuid`)),
  ];
  route(
    app,
    'DELETE',
    deleteUrls,
    {
      authentication,
      schema: {
        summary: `Delete a ${flavor.type}`,
        params: UuidParams,
        response: { 202: Accepted, ...errorResponses },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { uuid } = request.params as { uuid: string };
      await deleteRecord(ctx, okeanosCallerOf(request), flavor, uuid);
      return sendStatus(reply, 202, words.deleted, { id: uuid });
    },
  );

  route(
    app,
    'GET',
    withAndWithoutSlash(base).reverse(),
    {
      authentication,
      schema: {
        summary: `The caller's ${flavor.type}s; ?limit&offset paginate them (DRF LimitOffsetPagination)`,
        querystring: PageQuery,
        response: { 200: ListBody(spec.listItem), ...errorResponses },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const items = (await listRecords(ctx, okeanosCallerOf(request), flavor)).map(spec.itemOf);
      const paged = paginate(request, items);
      const status = { code: 200, short_description: words.list };
      return sendJson(
        reply,
        200,
        paged ? { data: paged.page, pagination: paged.pagination, status } : { data: items, status },
      );
    },
  );
}
