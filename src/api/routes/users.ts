// Users: platform admins manage everyone; a user reads and updates themselves.
import { Type } from '@sinclair/typebox';
import type { ServiceContext } from '../../domain/context.ts';
import { Email, Password, User, Username } from '../../identity/models.ts';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../../identity/users.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { decodeCursor, Page, PageQuery, pageLimit, toPage } from '../pagination.ts';

const UserId = Type.Object({ userId: Type.String({ maxLength: 64, description: 'the user id or username' }) });

export function userRoutes(app: ApiApp, ctx: ServiceContext) {
  const tags = ['identity'];
  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (platform admins)',
        querystring: Type.Object(PageQuery),
        response: { 200: Page(User), ...commonErrors },
      },
    },
    async (request) => {
      const limit = pageLimit(request.query.limit, ctx.config.api);
      const rows = await listUsers(
        ctx,
        callerOf(request),
        decodeCursor<string>(request.query.cursor, 'string'),
        limit + 1,
      );
      return toPage(rows, limit, (u) => u.id);
    },
  );

  app.post(
    '/users',
    {
      config: { secretsInRequest: ['password'] },
      schema: {
        tags,
        summary: 'Create a user (platform admins)',
        body: Type.Object(
          { username: Username, email: Email, password: Password, admin: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 201: User, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(ctx, callerOf(request), request.body)),
  );

  app.get(
    '/users/:userId',
    {
      schema: {
        tags,
        summary: 'Get a user (yourself, or anyone as a platform admin)',
        params: UserId,
        response: { 200: User, ...commonErrors },
      },
    },
    async (request) => getUser(ctx, callerOf(request), request.params.userId),
  );

  app.patch(
    '/users/:userId',
    {
      schema: {
        tags,
        summary: 'Update a user: email, password (with currentPassword unless admin), admin flag, disabled',
        params: UserId,
        body: Type.Object(
          {
            email: Type.Optional(Email),
            password: Type.Optional(Password),
            currentPassword: Type.Optional(Type.String({ maxLength: 1024 })),
            admin: Type.Optional(Type.Boolean()),
            disabled: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: User, ...commonErrors },
      },
    },
    async (request) => updateUser(ctx, callerOf(request), request.params.userId, request.body),
  );

  app.delete(
    '/users/:userId',
    {
      schema: {
        tags,
        summary: 'Delete a user (platform admins)',
        params: UserId,
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deleteUser(ctx, callerOf(request), request.params.userId);
      return reply.code(204).send(null);
    },
  );
}
