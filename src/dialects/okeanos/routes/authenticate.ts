// GET /api/authenticate/: the devel service VM registers a user at login; the token check itself does it here.
import type { ApiApp } from '../../../api/app-types.ts';
import { sendJson } from '../reply.ts';
import { route, withAndWithoutSlash, type Authentication } from '../routing.ts';
import { AuthenticateAnswer, errorResponses } from '../wire.ts';

export function authenticateRoutes(app: ApiApp, authentication: Authentication) {
  route(
    app,
    'GET',
    withAndWithoutSlash('/api/authenticate').reverse(),
    {
      authentication,
      schema: {
        operationId: 'authenticate',
        summary: 'Check a token and register its user (and their personal team) on first sight',
        response: { 200: AuthenticateAnswer, 401: errorResponses[401] },
      },
    },
    async (_request, reply) => sendJson(reply, 200, { status: 200, result: 'Success' }),
  );
}
