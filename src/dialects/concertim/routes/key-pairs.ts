// /key_pairs: the cloud_env user's SSH key pairs, in Nova's shape.
import type { Static } from '@sinclair/typebox';
import { createKeyPair, deleteKeyPair, listKeyPairs } from '../../../keypairs/keypairs.ts';
import { callerFromCloudEnv } from '../cloud-env.ts';
import { getBody } from '../pipeline.ts';
import { novaKeyPair } from '../views.ts';
import {
  CloudEnvBody,
  CreatedKeyPair,
  CreateKeyPairBody,
  DeletedKeyPair,
  DeleteKeyPairBody,
  KeyPairList,
  responses,
} from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

export const keyPairRoutes: ConcertimRoutes = (app, ctx) => {
  app.post(
    '/key_pairs',
    {
      schema: {
        tags,
        summary: 'Generate or import a key pair (user credentials)',
        body: CreateKeyPairBody,
        response: responses(CreatedKeyPair),
      },
    },
    async (request, reply) => {
      const { name, public_key } = request.body.key_pair;
      const created = await createKeyPair(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), {
        name,
        publicKey: public_key ?? undefined,
      });
      return reply
        .code(201)
        .send({ success: true, key_pair: { ...novaKeyPair(created), private_key: created.privateKey ?? null } });
    },
  );

  app.get(
    '/key_pairs',
    {
      schema: {
        tags,
        summary: "List the user's key pairs (user credentials)",
        description: 'Takes a JSON body {"cloud_env": {...}} despite being a GET, as Concertim sends one.',
        response: responses(KeyPairList),
      },
      preValidation: getBody(CloudEnvBody, ctx.config.server.bodyLimitBytes),
    },
    async (request, reply) => {
      const { cloud_env } = request.body as Static<typeof CloudEnvBody>;
      const keyPairs = await listKeyPairs(ctx, await callerFromCloudEnv(ctx, cloud_env));
      return reply.code(201).send({ success: true, key_pairs: keyPairs.map(novaKeyPair) });
    },
  );

  app.delete(
    '/key_pairs',
    {
      schema: {
        operationId: 'deleteKeyPair',
        tags,
        summary: 'Delete a key pair by name (user credentials)',
        body: DeleteKeyPairBody,
        response: responses(DeletedKeyPair),
      },
    },
    async (request, reply) => {
      await deleteKeyPair(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), request.body.keypair_name);
      return reply.code(201).send({ success: true, key_pair_name: request.body.keypair_name });
    },
  );
};
