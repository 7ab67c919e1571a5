// Resources of every kind in a team: one set of routes, the kind registry supplies the rules.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StateName } from '../../domain/states.ts';
import { Labels, Resource, ResourceName } from '../../resources/models.ts';
import { requestAction } from '../../resources/actions.ts';
import { deleteResource } from '../../resources/deletion.ts';
import { listOperations, Operation } from '../../resources/operations.ts';
import { patchResource } from '../../resources/patch.ts';
import { reportStatus } from '../../resources/reported-status.ts';
import { actions, reportableNextStates } from '../../domain/states.ts';
import { createResource, updateResource } from '../../resources/resources.ts';
import { getRenderedResource, listRenderedResources } from '../../resources/reads.ts';
import type { RenderedResource } from '../../resources/rendered.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { commonErrors, ProblemResponse, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { decodeCursor, Page, PageQuery, pageLimit, renderedPage } from '../pagination.ts';

const ref = Type.String({ minLength: 1, maxLength: 128 });
const TeamParams = Type.Object({ team: ref });
const ResourceParams = Type.Object({ team: ref, id: Type.String({ minLength: 1, maxLength: 64 }) });
const withPreconditions = { ...commonErrors, 412: ProblemResponse };
const jsonType = 'application/json; charset=utf-8';

/** If-Match carries the resourceVersion as an entity tag. */
function expectedVersion(request: FastifyRequest, fromBody?: string): string | undefined {
  const header = request.headers['if-match'];
  if (typeof header === 'string' && header.trim() !== '*')
    return header.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return fromBody;
}

const sendResource = (reply: FastifyReply, resource: Resource, code = 200) =>
  reply.code(code).header('etag', `"${resource.metadata.resourceVersion}"`).send(resource);

/** JSON already rendered goes out as it is: with the JSON type set, Fastify sends a string or Buffer unchanged. */
const sendJson = (reply: FastifyReply, json: string | Buffer) => reply.type(jsonType).send(json);

const sendRendered = (reply: FastifyReply, resource: RenderedResource) =>
  sendJson(reply.header('etag', `"${resource.resourceVersion}"`), resource.json);

export function resourceRoutes(app: ApiApp, ctx: ResourceContext) {
  const tags = ['resources'];
  // The kinds this process serves, not a fixed list: a kind added to the registry is accepted here too.
  // Checked by the service, whose one error lists them (a union of literals would fail once per kind).
  const KindName = Type.String({ maxLength: 64, description: `one of: ${[...ctx.kinds.keys()].join(', ')}` });
  app.get(
    '/kinds',
    {
      schema: {
        tags,
        summary: 'The registered kinds: spec schema, states, actions and parent rules',
        response: {
          200: Type.Array(
            Type.Object({
              name: Type.String(),
              description: Type.String(),
              spec: Type.Unknown(),
              states: Type.Array(Type.String()),
              reportedTransitions: Type.Record(Type.String(), Type.Array(Type.String()), {
                description:
                  'for each state, the states an agent may report next (external driver); deletion and restarts come from requests',
              }),
              actions: Type.Record(Type.String(), Type.Array(Type.String())),
              parent: Type.Union([
                Type.Object({ kinds: Type.Array(Type.String()), required: Type.Boolean() }),
                Type.Null(),
              ]),
              specUpdatable: Type.Boolean(),
            }),
          ),
          ...commonErrors,
        },
      },
    },
    async () =>
      [...ctx.kinds.values()].map(({ definition: d }) => ({
        name: d.name,
        description: d.description,
        spec: d.spec,
        states: [...d.states],
        reportedTransitions: Object.fromEntries(
          d.states.map((state) => [state, reportableNextStates(d.states, state, false)]),
        ),
        actions: Object.fromEntries(
          Object.entries(d.actions).map(([action, inStates]) => [action, [...(inStates ?? [])]]),
        ),
        parent: d.parent ?? null,
        specUpdatable: d.specUpdatable,
      })),
  );

  app.get(
    '/teams/:team/resources',
    {
      schema: {
        tags,
        summary: 'List resources, oldest first, filtered by kind, name, namespace, parent, state and label selector',
        params: TeamParams,
        querystring: Type.Object({
          kind: Type.Optional(Type.String({ maxLength: 64 })),
          name: Type.Optional(ResourceName),
          namespace: Type.Optional(ref),
          parent: Type.Optional(Type.String({ maxLength: 64 })),
          state: Type.Optional(StateName),
          labelSelector: Type.Optional(
            Type.String({ maxLength: 2048, description: 'e.g. app=web,tier!=db,env in (a,b),!legacy' }),
          ),
          includeDeleted: Type.Optional(Type.Boolean({ default: false })),
          ...PageQuery,
        }),
        response: { 200: Page(Resource), ...commonErrors },
      },
    },
    async (request, reply) => {
      const { cursor, limit: requested, ...filters } = request.query;
      const limit = pageLimit(requested, ctx.config.api);
      const after = decodeCursor<string>(cursor, 'string');
      const items = await listRenderedResources(ctx, callerOf(request), request.params.team, {
        ...filters,
        after,
        limit: limit + 1,
      });
      return sendJson(reply, renderedPage(items, limit));
    },
  );

  app.post(
    '/teams/:team/resources',
    {
      schema: {
        tags,
        summary: 'Create a resource; it starts in state pending and the engine moves it on',
        description:
          'The spec is validated against the kind (see GET /kinds). Send Idempotency-Key to make retries safe.',
        params: TeamParams,
        body: Type.Object(
          {
            kind: KindName,
            name: ResourceName,
            id: Type.Optional(
              Type.String({ format: 'uuid', description: 'caller-chosen id (agents that own the object)' }),
            ),
            namespace: Type.Optional(ref),
            parent: Type.Optional(Type.String({ maxLength: 64 })),
            labels: Type.Optional(Labels),
            spec: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 201: Resource, ...commonErrors, 422: ProblemResponse },
      },
    },
    async (request, reply) => {
      const resource = await createResource(ctx, callerOf(request), request.params.team, request.body);
      reply.header('location', `/api/v1/teams/${resource.metadata.team}/resources/${resource.metadata.id}`);
      return sendResource(reply, resource, 201);
    },
  );

  app.get(
    '/teams/:team/resources/:id',
    {
      schema: {
        tags,
        summary: 'Get a resource (deleted ones stay readable)',
        params: ResourceParams,
        response: { 200: Resource, ...commonErrors },
      },
    },
    async (request, reply) =>
      sendRendered(reply, await getRenderedResource(ctx, callerOf(request), request.params.team, request.params.id)),
  );

  app.put(
    '/teams/:team/resources/:id',
    {
      schema: {
        tags,
        summary: 'Replace spec and labels; If-Match or resourceVersion guards against lost updates',
        params: ResourceParams,
        body: Type.Object(
          {
            spec: Type.Record(Type.String(), Type.Unknown()),
            labels: Type.Optional(Labels),
            resourceVersion: Type.Optional(Type.String({ maxLength: 32 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Resource, ...withPreconditions },
      },
    },
    async (request, reply) => {
      const { spec, labels, resourceVersion } = request.body;
      const version = expectedVersion(request, resourceVersion);
      const resource = await updateResource(
        ctx,
        callerOf(request),
        request.params.team,
        request.params.id,
        { spec, labels: labels ?? {} },
        version,
      );
      return sendResource(reply, resource);
    },
  );

  app.patch(
    '/teams/:team/resources/:id',
    {
      schema: {
        tags,
        summary: 'Merge-patch spec and labels (RFC 7386: null removes a key)',
        params: ResourceParams,
        body: Type.Object(
          {
            spec: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            labels: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]))),
            resourceVersion: Type.Optional(Type.String({ maxLength: 32 })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Resource, ...withPreconditions },
      },
    },
    async (request, reply) => {
      const { spec, labels, resourceVersion } = request.body;
      const version = expectedVersion(request, resourceVersion);
      return sendResource(
        reply,
        await patchResource(ctx, callerOf(request), request.params.team, request.params.id, { spec, labels }, version),
      );
    },
  );

  app.post(
    '/teams/:team/resources/:id/actions/:action',
    {
      schema: {
        operationId: 'runTeamResourceAction',
        tags,
        summary:
          'Act on a resource: start, stop, suspend, resume, restart or destroy; answers 202 and the engine carries it out',
        description:
          'An action the current state does not allow is a 409 whose `allowedActions` lists what is allowed now (GET /kinds has the full table).',
        params: Type.Object({
          team: ref,
          id: Type.String({ minLength: 1, maxLength: 64 }),
          action: Type.Union(actions.map((a) => Type.Literal(a))),
        }),
        response: { 202: Resource, ...withPreconditions },
      },
    },
    async (request, reply) => {
      const { team, id, action } = request.params;
      return sendResource(
        reply,
        await requestAction(ctx, callerOf(request), team, id, action, expectedVersion(request)),
        202,
      );
    },
  );

  app.get(
    '/teams/:team/resources/:id/operations',
    {
      schema: {
        tags,
        summary: 'The work queued and done for a resource: attempts, errors, when it runs next',
        params: ResourceParams,
        response: { 200: Type.Object({ items: Type.Array(Operation), next: Type.Null() }), ...commonErrors },
      },
    },
    async (request) => ({
      items: await listOperations(ctx, callerOf(request), request.params.team, request.params.id),
      next: null,
    }),
  );

  app.post(
    '/teams/:team/resources/:id/status',
    {
      config: { scopes: ['agent', 'write'] },
      schema: {
        operationId: 'reportTeamResourceStatus',
        tags,
        summary:
          'Report the status of a resource its agent owns (external driver); tokens with the agent scope may call only this',
        params: ResourceParams,
        body: Type.Object(
          {
            state: StateName,
            message: Type.Optional(Type.String({ maxLength: 4096, description: 'e.g. the failure message' })),
            details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          },
          { additionalProperties: false },
        ),
        response: { 200: Resource, ...commonErrors },
      },
    },
    async (request, reply) =>
      sendResource(
        reply,
        await reportStatus(ctx, callerOf(request), request.params.team, request.params.id, request.body),
      ),
  );

  app.delete(
    '/teams/:team/resources/:id',
    {
      schema: {
        tags,
        summary: 'Delete a resource and its children; answers 202 with the resource in deleting (or deleted)',
        params: ResourceParams,
        response: { 202: Resource, ...withPreconditions },
      },
    },
    async (request, reply) => {
      const resource = await deleteResource(
        ctx,
        callerOf(request),
        request.params.team,
        request.params.id,
        expectedVersion(request),
      );
      return sendResource(reply, resource, 202);
    },
  );
}
