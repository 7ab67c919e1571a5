// SSH key pairs of the caller.
import { Type } from '@sinclair/typebox';
import type { ServiceContext } from '../../domain/context.ts';
import { createKeyPair, deleteKeyPair, getKeyPair, listKeyPairs } from '../../keypairs/keypairs.ts';
import { KeyPair, KeyPairName, KeyPairWithPrivateKey } from '../../keypairs/models.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { Page } from '../pagination.ts';

const KeyPairParams = Type.Object({ keypair: Type.String({ minLength: 1, maxLength: 64 }) });

export function keyPairRoutes(app: ApiApp, ctx: ServiceContext) {
  const tags = ['keypairs'];
  app.get(
    '/keypairs',
    {
      schema: {
        tags,
        summary: 'List your SSH key pairs',
        response: { 200: Page(KeyPair), ...commonErrors },
      },
    },
    async (request) => ({ items: await listKeyPairs(ctx, callerOf(request)), next: null }),
  );

  app.post(
    '/keypairs',
    {
      config: { secretInResponse: 'a private key' },
      schema: {
        tags,
        summary: 'Generate a key pair (ed25519 by default, or rsa: 3072 bits) or import an OpenSSH public key',
        description:
          'On generation the private key is in this response only; it is never stored, so Idempotency-Key is refused (400).',
        body: Type.Object(
          {
            name: KeyPairName,
            type: Type.Optional(Type.Union([Type.Literal('ed25519'), Type.Literal('rsa')])),
            publicKey: Type.Optional(Type.String({ minLength: 1, maxLength: 16384 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Union([KeyPairWithPrivateKey, KeyPair]), ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await createKeyPair(ctx, callerOf(request), request.body)),
  );

  app.get(
    '/keypairs/:keypair',
    {
      schema: {
        tags,
        summary: 'Get a key pair by id or name',
        params: KeyPairParams,
        response: { 200: KeyPair, ...commonErrors },
      },
    },
    async (request) => getKeyPair(ctx, callerOf(request), request.params.keypair),
  );

  app.delete(
    '/keypairs/:keypair',
    {
      schema: {
        tags,
        summary: 'Delete a key pair',
        params: KeyPairParams,
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await deleteKeyPair(ctx, callerOf(request), request.params.keypair);
      return reply.code(204).send(null);
    },
  );
}
