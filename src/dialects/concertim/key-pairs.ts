// /key_pairs: the cloud_env user's SSH key pairs, in Nova's shape (id is the name, fingerprint the MD5 form).
import { Type, type Static } from '@sinclair/typebox';
import type { ResourceContext } from '../../resources/context.ts';
import { createKeyPair, deleteKeyPair, listKeyPairs } from '../../keypairs/keypairs.ts';
import { KeyPairName, type KeyPair } from '../../keypairs/models.ts';
import { callerFromCloudEnv, CloudEnv } from './cloud-env.ts';
import { getBody, responses, tags } from './pipeline.ts';
import type { ConcertimApp } from './scope.ts';

const NovaKeyPair = Type.Object({ id: Type.String(), name: Type.String(), public_key: Type.String(), fingerprint: Type.String() });

const toNova = (keyPair: KeyPair) => ({ id: keyPair.name, name: keyPair.name, public_key: keyPair.publicKey, fingerprint: keyPair.fingerprintMd5 });

const CreateKeyPair = Type.Object({
  cloud_env: CloudEnv,
  key_pair: Type.Object({
    name: KeyPairName,
    key_type: Type.Optional(Type.String({ description: 'ssh or x509: ignored, as the original ignored it' })),
    public_key: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'an OpenSSH public key to import; absent or null: generate an ed25519 key' })),
  }),
});

const ListKeyPairs = Type.Object({ cloud_env: CloudEnv });

export function keyPairRoutes(app: ConcertimApp, ctx: ResourceContext) {
  app.post(
    '/key_pairs',
    {
      schema: {
        tags,
        summary: 'Generate or import a key pair (user credentials)',
        body: CreateKeyPair,
        response: responses(Type.Object({ success: Type.Boolean(), key_pair: Type.Composite([NovaKeyPair, Type.Object({ private_key: Type.Union([Type.String(), Type.Null()]) })]) })),
      },
    },
    async (request, reply) => {
      const { name, public_key } = request.body.key_pair;
      const created = await createKeyPair(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), { name, publicKey: public_key ?? undefined });
      return reply.code(201).send({ success: true, key_pair: { ...toNova(created), private_key: created.privateKey ?? null } });
    },
  );

  app.get(
    '/key_pairs',
    {
      schema: {
        tags,
        summary: "List the user's key pairs (user credentials)",
        description: 'Takes a JSON body {"cloud_env": {...}} despite being a GET, as Concertim sends one.',
        response: responses(Type.Object({ success: Type.Boolean(), key_pairs: Type.Array(NovaKeyPair) })),
      },
      preValidation: getBody(ListKeyPairs, ctx.config.server.bodyLimitBytes),
    },
    async (request, reply) => {
      const { cloud_env } = request.body as Static<typeof ListKeyPairs>;
      const keyPairs = await listKeyPairs(ctx, await callerFromCloudEnv(ctx, cloud_env));
      return reply.code(201).send({ success: true, key_pairs: keyPairs.map(toNova) });
    },
  );

  app.delete(
    '/key_pairs',
    {
      schema: {
        tags,
        summary: 'Delete a key pair by name (user credentials)',
        body: Type.Object({ cloud_env: CloudEnv, keypair_name: Type.String() }),
        response: responses(Type.Object({ success: Type.Boolean(), key_pair_name: Type.String() })),
      },
    },
    async (request, reply) => {
      await deleteKeyPair(ctx, await callerFromCloudEnv(ctx, request.body.cloud_env), request.body.keypair_name);
      return reply.code(201).send({ success: true, key_pair_name: request.body.keypair_name });
    },
  );
}
