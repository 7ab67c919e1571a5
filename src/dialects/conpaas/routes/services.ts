// The service routes: GET|POST /available_services (open to all), and with a user certificate POST /start, /stop, /rename, GET|POST /list.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceContext } from '../../../resources/context.ts';
import type { PkiContext } from '../../../pki/certificates.ts';
import { failure } from '../errors.ts';
import { certificateUser } from '../auth.ts';
import { availableServices, listServices, renameService, startService, stopService } from '../services.ts';
import { findApplication } from '../applications.ts';
import { serviceList } from '../application-services.ts';
import { parseInteger, valuesOf } from '../parameters.ts';
import { answers, form, sendJson, ServiceDict, ServiceList, tags } from '../wire.ts';

/** Flask's <int:sid>: anything but digits is no route at all (404). */
const sidPath = ':sid(^\\d+$)';
const sidParams = Type.Object({ sid: Type.String({ pattern: '^\\d+$', description: 'the service id (an integer)' }) });
type SidRequest = FastifyRequest<{ Params: { sid: string } }>;

export function serviceRoutes(app: FastifyInstance, ctx: ResourceContext, pki: PkiContext) {
  // The client's first call, made before it has a certificate: every director served it to anyone, and the 2012 one by POST too.
  app.route({
    method: ['GET', 'POST'],
    url: '/available_services',
    schema: {
      operationId: 'listAvailableServices',
      tags,
      security: [],
      summary: 'The service types /start accepts (no certificate needed)',
      response: answers(Type.Array(Type.String())),
    },
    handler: async (_request, reply) => sendJson(reply, availableServices(ctx)),
  });

  const start = async (
    request: FastifyRequest<{ Params: { servicetype: string; cloudname?: string } }>,
    reply: FastifyReply,
  ) => {
    const who = await certificateUser(ctx, request);
    const { servicetype, cloudname = 'default' } = request.params;
    if (!availableServices(ctx).includes(servicetype)) throw failure(`Unknown service type: ${servicetype}`);
    // The 2013 director's `appid`: the service goes in that application; without it, in none (the 2012 director had none).
    const { appid } = valuesOf(request);
    const app = appid ? await findApplication(ctx, who, parseInteger(appid)) : undefined;
    if (appid && !app) throw failure('Application not found');
    const place = app && { teamId: app.team_id, namespaceId: app.namespace_id };
    return sendJson(reply, await startService(ctx, pki, who, servicetype, cloudname, place));
  };
  const startSchema = (operationId: string, params: Record<string, string>) => ({
    operationId,
    tags,
    summary:
      "Start a service of a type from /available_services: its dict once its manager has an address (at most startTimeoutSeconds); the manager's certificate goes to the service",
    params: Type.Object(
      Object.fromEntries(Object.entries(params).map(([name, description]) => [name, Type.String({ description })])),
    ),
    ...form({ appid: 'the application to start it in (optional; none: outside any)' }),
    response: answers(ServiceDict),
  });
  app.post(
    '/start/:servicetype',
    { schema: startSchema('startService', { servicetype: 'a type from /available_services' }) },
    start,
  );
  app.post(
    '/start/:servicetype/:cloudname',
    {
      schema: startSchema('startServiceOnCloud', {
        servicetype: 'a type from /available_services',
        cloudname: 'only "default"',
      }),
    },
    start,
  );

  app.post(
    `/stop/${sidPath}`,
    {
      schema: {
        operationId: 'stopService',
        tags,
        summary: 'Stop and delete one of your services: true, or false',
        params: sidParams,
        response: answers(Type.Boolean()),
      },
    },
    async (request: SidRequest, reply) => {
      const who = await certificateUser(ctx, request);
      return sendJson(reply, await stopService(ctx, who, Number(request.params.sid)));
    },
  );

  app.post(
    `/rename/${sidPath}`,
    {
      schema: {
        operationId: 'renameService',
        tags,
        summary: 'Rename one of your services: true, or false',
        params: sidParams,
        ...form({ name: 'the new name' }),
        response: answers(Type.Boolean()),
      },
    },
    async (request: SidRequest, reply) => {
      const who = await certificateUser(ctx, request);
      const name = valuesOf(request).name;
      if (!name) return sendJson(reply, false);
      return sendJson(reply, await renameService(ctx, who, Number(request.params.sid), name));
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/list',
    schema: {
      operationId: 'listServices',
      tags,
      summary: 'Your services (deleted ones are gone), in the form dialects.conpaas.listForm selects',
      response: answers(ServiceList),
    },
    handler: async (request, reply) => {
      const who = await certificateUser(ctx, request);
      return sendJson(reply, await serviceList(ctx, who, await listServices(ctx, who)));
    },
  });
}
