// API tokens of the caller: create (secret shown once), list, revoke.
import { Type } from '@sinclair/typebox';
import type { ServiceContext } from '../../domain/context.ts';
import { ScopeName, Token, TokenWithSecret } from '../../identity/models.ts';
import { createApiToken, listTokens, revokeToken } from '../../identity/tokens.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';
import { Page } from '../pagination.ts';

export function tokenRoutes(app: ApiApp, ctx: ServiceContext) {
  const tags = ['identity'];
  app.get(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'List your live tokens (never their secrets)',
        response: { 200: Page(Token), ...commonErrors },
      },
    },
    async (request) => ({ items: await listTokens(ctx, callerOf(request)), next: null }),
  );

  app.post(
    '/tokens',
    {
      config: { secretInResponse: 'a token secret' },
      schema: {
        tags,
        summary: 'Create an API token; the secret is in the response only (so Idempotency-Key is refused)',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 128 }),
            scopes: Type.Optional(Type.Array(ScopeName, { minItems: 1, uniqueItems: true })),
            expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: TokenWithSecret, ...commonErrors },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(ctx, callerOf(request), request.body)),
  );

  app.delete(
    '/tokens/:tokenId',
    {
      schema: {
        operationId: 'revokeToken',
        tags,
        summary: 'Revoke one of your tokens',
        params: Type.Object({ tokenId: Type.String({ maxLength: 64 }) }),
        response: { 204: Type.Null(), ...commonErrors },
      },
    },
    async (request, reply) => {
      await revokeToken(ctx, callerOf(request), request.params.tokenId);
      return reply.code(204).send(null);
    },
  );
}
