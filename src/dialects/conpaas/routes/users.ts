// POST /new_user, /login, /get_user_certs (and /getcerts): the routes that need no certificate.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceContext } from '../../../resources/context.ts';
import { issueUserCertificates, type PkiContext } from '../../../pki/certificates.ts';
import { loginCaller } from '../auth.ts';
import { conpaasNames } from '../services.ts';
import { newUser, userDict } from '../users.ts';
import { valuesOf } from '../parameters.ts';
import { answers, form, sendJson, tags, UserDict } from '../wire.ts';

const credentials = {
  username: 'the user name',
  password: 'the password',
  uuid: 'instead of a password: the uuid given at creation (<none>: none)',
};

export function userRoutes(app: FastifyInstance, ctx: ResourceContext, pki: PkiContext) {
  app.post(
    '/new_user',
    {
      schema: {
        tags,
        security: [],
        summary: 'Create a ConPaaS user (a cloudplane user) with up to maxCredit credit',
        ...form({
          username: '',
          fname: 'first name',
          lname: 'last name',
          email: '',
          affiliation: '',
          password: '',
          credit: 'whole credit, 0..maxCredit',
          uuid: 'federation id, or <none>',
        }),
        response: answers(UserDict),
      },
    },
    async (request, reply) => sendJson(reply, await newUser(ctx, valuesOf(request))),
  );

  app.post(
    '/login',
    {
      schema: {
        tags,
        security: [],
        summary: 'The user dict for a username and password (or uuid); false otherwise',
        ...form(credentials),
        response: answers(UserDict),
      },
    },
    async (request, reply) => sendJson(reply, await userDict(ctx, await loginCaller(ctx, valuesOf(request)))),
  );

  const certificates = async (request: FastifyRequest, reply: FastifyReply) => {
    const who = await loginCaller(ctx, valuesOf(request));
    const { zip, serial } = await issueUserCertificates(pki, who.caller, who.user.id, { names: conpaasNames(who) });
    return reply
      .code(200)
      .type('application/zip')
      .header('content-disposition', 'attachment; filename=certs.zip')
      .header('x-certificate-serial', serial)
      .send(Buffer.from(zip));
  };
  const certificateSchema = (operationId: string, summary: string) => ({
    operationId,
    tags,
    security: [],
    summary,
    response: {
      200: Type.Union([Type.String({ format: 'binary', description: 'application/zip' }), Type.Literal(false)]),
    },
  });
  const zipOfCertificates =
    'A zip of key.pem, cert.pem and ca_cert.pem: a new user certificate (the key is not kept); false for bad credentials';
  app.post(
    '/get_user_certs',
    { schema: { ...certificateSchema('getUserCerts', zipOfCertificates), ...form(credentials) } },
    certificates,
  );
  app.post(
    '/getcerts',
    { schema: { ...certificateSchema('getCertsViaPost', 'The later name of /get_user_certs'), ...form(credentials) } },
    certificates,
  );
  app.get(
    '/getcerts',
    {
      schema: {
        ...certificateSchema('getCerts', 'The later name of /get_user_certs, by GET'),
        querystring: form(credentials).body,
      },
    },
    certificates,
  );
}
