// /user: Concertim's users become cloudplane users (no CM_ prefix); Concertim calls these with admin credentials.
import { Type } from '@sinclair/typebox';
import { createUser, deleteUser, updateUser } from '../../identity/users.ts';
import { Email, Password, Username } from '../../identity/models.ts';
import type { ResourceContext } from '../../resources/context.ts';
import type { ConcertimApp } from './scope.ts';
import { callerFromCloudEnv, CloudEnv } from './cloud-env.ts';
import { apiServerDefError } from './errors.ts';
import { responses, tags } from './pipeline.ts';

const CreateUser = Type.Object({
  cloud_env: CloudEnv,
  username: Username,
  name: Type.String({ description: 'required by Concertim, not stored' }),
  email: Email,
  password: Password,
});

const UserInfo = Type.Object({ cloud_env: CloudEnv, user_info: Type.Object({ cloud_user_id: Type.String({ description: 'the user id /user returned' }) }) });

const ChangeUser = Type.Object({
  cloud_env: CloudEnv,
  user_info: Type.Object({
    cloud_user_id: Type.String(),
    new_data: Type.Object({ email: Type.Optional(Email), password: Type.Optional(Password) }),
  }),
});

const Success = Type.Object({ success: Type.Boolean() });

export function userRoutes(app: ConcertimApp, ctx: ResourceContext) {
  app.post(
    '/user',
    {
      schema: {
        tags,
        summary: 'Create a user (admin credentials)',
        body: CreateUser,
        response: responses(Type.Object({ success: Type.Boolean(), username: Type.String(), user_cloud_id: Type.String() })),
      },
    },
    async (request, reply) => {
      const { cloud_env, username, email, password } = request.body;
      const user = await createUser(ctx, await callerFromCloudEnv(ctx, cloud_env), { username, email, password });
      return reply.code(201).send({ success: true, username, user_cloud_id: user.id });
    },
  );

  app.delete('/user', { schema: { tags, summary: 'Delete a user (admin credentials)', body: UserInfo, response: responses(Success) } }, async (request, reply) => {
    await deleteUser(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), request.body.user_info.cloud_user_id);
    return reply.code(201).send({ success: true });
  });

  app.patch(
    '/user',
    {
      schema: {
        tags,
        summary: "Change a user's email and/or password (admin credentials)",
        body: ChangeUser,
        response: responses(Type.Object({ success: Type.Boolean(), updated: Type.Array(Type.Array(Type.String())) })),
      },
    },
    async (request, reply) => {
      const { cloud_user_id: id, new_data: given } = request.body.user_info;
      // Only these two: new_data's other keys (admin, disabled) must not reach updateUser.
      const changes = { ...(given.email !== undefined && { email: given.email }), ...(given.password !== undefined && { password: given.password }) };
      if (Object.keys(changes).length === 0) throw apiServerDefError('new_data needs email or password');
      await updateUser(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), id, changes);
      const updated = Object.keys(changes).map((field) => ['cloud_user', id, field]);
      return reply.code(201).send({ success: true, updated });
    },
  );
}
