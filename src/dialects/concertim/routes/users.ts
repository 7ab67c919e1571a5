// /user: Concertim's users become cloudplane users (no CM_ prefix); Concertim calls these with admin credentials.
import { createUser, deleteUser, updateUser } from '../../../identity/users.ts';
import { callerFromCloudEnv } from '../cloud-env.ts';
import { apiServerDefError } from '../errors.ts';
import {
  ChangedUser,
  ChangeUserBody,
  CreatedUser,
  CreateUserBody,
  DeleteUserBody,
  responses,
  Success,
} from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

export const userRoutes: ConcertimRoutes = (app, ctx) => {
  app.post(
    '/user',
    {
      schema: {
        operationId: 'createUser',
        tags,
        summary: 'Create a user (admin credentials)',
        description:
          "Concertim's rules, not the native API's: a login of 1-80 letters, digits, . _ - and a password of 6 to 128 characters.",
        body: CreateUserBody,
        response: responses(CreatedUser),
      },
    },
    async (request, reply) => {
      const { cloud_env, username, email, password } = request.body;
      const user = await createUser(ctx, await callerFromCloudEnv(ctx, cloud_env), { username, email, password });
      return reply.code(201).send({ success: true, username, user_cloud_id: user.id });
    },
  );

  app.delete(
    '/user',
    {
      schema: {
        tags,
        summary: 'Delete a user (admin credentials)',
        body: DeleteUserBody,
        response: responses(Success),
      },
    },
    async (request, reply) => {
      await deleteUser(
        ctx,
        await callerFromCloudEnv(ctx, request.body.cloud_env),
        request.body.user_info.cloud_user_id,
      );
      return reply.code(201).send({ success: true });
    },
  );

  app.patch(
    '/user',
    {
      schema: {
        tags,
        summary: "Change a user's email and/or password (admin credentials)",
        body: ChangeUserBody,
        response: responses(ChangedUser),
      },
    },
    async (request, reply) => {
      const { cloud_user_id: id, new_data: given } = request.body.user_info;
      // Only these two: new_data's other keys (admin, disabled) must not reach updateUser.
      const changes = {
        ...(given.email !== undefined && { email: given.email }),
        ...(given.password !== undefined && { password: given.password }),
      };
      if (Object.keys(changes).length === 0) throw apiServerDefError('new_data needs email or password');
      await updateUser(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), id, changes);
      const updated = Object.keys(changes).map((field) => ['cloud_user', id, field]);
      return reply.code(201).send({ success: true, updated });
    },
  );
};
