// What the director says about itself and its user: GET /version, /available_clouds, /user_config, /user_credit, and the front-end's switches.
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ResourceContext } from '../../../resources/context.ts';
import { certificateUser } from '../auth.ts';
import { userDict } from '../users.ts';
import { answers, sendJson, tags, UserDict } from '../wire.ts';

const version: string = JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')).version;

/** The director's build_response(string): a bare text body, which cps prints as it is (it is not JSON). */
const sendText = (reply: FastifyReply, text: string) => reply.code(200).type('text/html; charset=utf-8').send(text);

export function directorRoutes(app: FastifyInstance, ctx: ResourceContext) {
  app.get(
    '/version',
    {
      schema: {
        tags,
        security: [],
        summary: "The director's version, as text (cps: `version`)",
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => sendText(reply, `cloudplane ${version}`),
  );

  // Every service runs on this cloudplane's drivers, which the director called its default cloud.
  app.get(
    '/available_clouds',
    {
      schema: {
        tags,
        security: [],
        summary: 'The clouds /start and /startapp accept: only "default"',
        response: { 200: Type.Array(Type.String()) },
      },
    },
    async (_request, reply) => sendJson(reply, ['default']),
  );

  app.get(
    '/user_config',
    {
      schema: {
        tags,
        summary: "The certificate's user, as /login answers it but without the password field",
        response: answers(Type.Omit(UserDict, ['password'])),
      },
    },
    async (request, reply) => {
      const user: Partial<UserDict> = await userDict(ctx, await certificateUser(ctx, request));
      delete user.password;
      return sendJson(reply, user);
    },
  );

  app.get(
    '/user_credit',
    { schema: { tags, summary: "The certificate's user's credit: a JSON integer", response: answers(Type.Integer()) } },
    async (request, reply) => sendJson(reply, (await userDict(ctx, await certificateUser(ctx, request))).credit),
  );

  // The front-end asks these before its login page; cloudplane has no external identity providers or OpenID here.
  for (const path of ['/support_external_idp', '/support_openid']) {
    app.get(
      path,
      {
        schema: {
          tags,
          security: [],
          summary: "Python's str(False): no such login is offered",
          response: { 200: Type.String() },
        },
      },
      async (_request, reply) => sendText(reply, 'False'),
    );
  }
  app.get(
    '/debug_level/:type',
    {
      schema: {
        tags,
        security: [],
        summary: "The front-end's debug level for js, php, ajax or python: 0",
        response: { 200: Type.String() },
      },
    },
    async (_request, reply) => sendText(reply, '0'),
  );
}
