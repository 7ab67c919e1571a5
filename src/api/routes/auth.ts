// Login and "who am I".
import { Type } from '@sinclair/typebox';
import type { ServiceContext } from '../../domain/context.ts';
import { ScopeName, TokenWithSecret, User } from '../../identity/models.ts';
import { login } from '../../identity/tokens.ts';
import { getUser } from '../../identity/users.ts';
import { commonErrors, type ApiApp } from '../app-types.ts';
import { callerOf } from '../auth.ts';

export function authRoutes(app: ApiApp, ctx: ServiceContext) {
  app.post(
    '/auth/login',
    {
      config: { public: true, secretInResponse: 'a token secret' },
      schema: {
        operationId: 'login',
        tags: ['identity'],
        summary:
          'Exchange a username and password for a bearer token (Idempotency-Key is refused: the response holds a secret)',
        body: Type.Object(
          { username: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: TokenWithSecret, user: User }), ...commonErrors },
      },
    },
    async (request) => {
      const { token, userId } = await login(ctx, request.body.username, request.body.password);
      const caller = {
        userId,
        username: request.body.username,
        isAdmin: false,
        scopes: token.scopes,
        tokenId: token.id,
      };
      return { token, user: await getUser(ctx, caller, userId) };
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The authenticated user and the scopes of the token used',
        response: {
          200: Type.Object({ user: User, scopes: Type.Array(ScopeName), tokenId: Type.String() }),
          ...commonErrors,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return { user: await getUser(ctx, caller, caller.userId), scopes: caller.scopes, tokenId: caller.tokenId };
    },
  );
}
