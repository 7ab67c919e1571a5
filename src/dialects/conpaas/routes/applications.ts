// Master's application routes, with a user certificate: POST /createapp, GET|POST /listapp, POST /startapp, /stopapp,
// /deleteapp, /renameapp, and the services of applications: POST /add/<type>, /remove, /rename, GET|POST /list/<aid>.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PkiContext } from '../../../pki/certificates.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { addService, applicationServices, removeService, renameServiceOfApplication } from '../application-services.ts';
import {
  createApplication,
  deleteApplication,
  listApplications,
  renameApplication,
  startApplication,
  stopApplication,
} from '../applications.ts';
import { certificateUser, type ConpaasCaller } from '../auth.ts';
import { valuesOf } from '../parameters.ts';
import { applicationDict } from '../views.ts';
import { ApplicationDict, appAnswers, form, sendJson, ServiceInApplication, ServiceList, tags } from '../wire.ts';

/** Flask's <int:appid>: anything but digits is no route at all (404). */
const aidPath = ':aid(^\\d+$)';
const aid = Type.String({ pattern: '^\\d+$', description: 'the application id (an integer)' });
const aidParams = Type.Object({ aid });
const cloudParams = Type.Object({ aid, cloudname: Type.String({ description: 'only "default"' }) });
type AidRequest = FastifyRequest<{ Params: { aid: string; cloudname?: string } }>;
const done = Type.Object({}, { description: 'master answered an empty dict on success' });

export function applicationRoutes(app: FastifyInstance, ctx: ResourceContext, pki: PkiContext) {
  const aidSchema = (operationId: string, summary: string, fields?: Record<string, string>) => ({
    operationId,
    tags,
    summary,
    params: aidParams,
    ...(fields ? form(fields) : {}),
    response: appAnswers(done),
  });
  const onApplication =
    (change: (who: ConpaasCaller, aid: number, request: AidRequest) => Promise<void>) =>
    async (request: AidRequest, reply: FastifyReply) => {
      await change(await certificateUser(ctx, request), Number(request.params.aid), request);
      return sendJson(reply, {});
    };

  app.post(
    '/createapp',
    {
      schema: {
        operationId: 'createApplication',
        tags,
        summary: 'Create an application',
        ...form({ name: 'its name' }),
        response: appAnswers(ApplicationDict),
      },
    },
    async (request, reply) => {
      const who = await certificateUser(ctx, request);
      return sendJson(reply, applicationDict(await createApplication(ctx, who, valuesOf(request).name)));
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/listapp',
    schema: {
      operationId: 'listApplications',
      tags,
      summary: 'Your applications, the default one first',
      response: appAnswers(Type.Array(ApplicationDict)),
    },
    handler: async (request, reply) => {
      const apps = await listApplications(ctx, await certificateUser(ctx, request));
      return sendJson(reply, apps.map(applicationDict));
    },
  });

  const start = onApplication((who, aid, request) =>
    startApplication(ctx, who, aid, request.params.cloudname ?? 'default'),
  );
  app.post(
    `/startapp/${aidPath}`,
    { schema: aidSchema('startApplication', 'Start an application: it then takes services (/add)') },
    start,
  );
  app.post(
    `/startapp/${aidPath}/:cloudname`,
    {
      schema: {
        ...aidSchema('startApplicationOnCloud', 'Start an application on a cloud (only "default")'),
        params: cloudParams,
      },
    },
    start,
  );
  app.post(
    `/stopapp/${aidPath}`,
    { schema: aidSchema('stopApplication', 'Stop an application: its services are deleted, it stays') },
    onApplication((who, aid) => stopApplication(ctx, who, aid)),
  );
  app.post(
    `/deleteapp/${aidPath}`,
    { schema: aidSchema('deleteApplication', 'Delete an application and its services') },
    onApplication((who, aid) => deleteApplication(ctx, who, aid)),
  );
  app.post(
    `/renameapp/${aidPath}`,
    { schema: aidSchema('renameApplication', 'Rename an application', { name: 'the new name' }) },
    onApplication((who, aid, request) => renameApplication(ctx, who, aid, valuesOf(request).name)),
  );

  const add = async (
    request: FastifyRequest<{ Params: { servicetype: string; cloudname?: string } }>,
    reply: FastifyReply,
  ) => {
    const who = await certificateUser(ctx, request);
    const { servicetype, cloudname = 'default' } = request.params;
    return sendJson(reply, await addService(ctx, pki, who, servicetype, cloudname, valuesOf(request).appid));
  };
  const addSchema = {
    tags,
    summary: "Start a service in a started application (appid; else the default one): master's add",
    ...form({ appid: 'the application (optional)' }),
    response: appAnswers(ServiceInApplication),
  };
  app.post('/add/:servicetype', { schema: { ...addSchema, operationId: 'addApplicationService' } }, add);
  app.post(
    '/add/:servicetype/:cloudname',
    { schema: { ...addSchema, operationId: 'addApplicationServiceOnCloud' } },
    add,
  );

  const serviceFields = { app_id: 'the application', service_id: 'the service (its sid)' };
  app.post(
    '/remove',
    {
      schema: {
        operationId: 'removeApplicationService',
        tags,
        summary: 'Delete a service of an application',
        ...form(serviceFields),
        response: appAnswers(done),
      },
    },
    async (request, reply) =>
      sendJson(reply, await removeService(ctx, await certificateUser(ctx, request), valuesOf(request))),
  );
  app.post(
    '/rename',
    {
      schema: {
        operationId: 'renameApplicationService',
        tags,
        summary: 'Rename a service of an application',
        ...form({ ...serviceFields, name: 'the new name' }),
        response: appAnswers(done),
      },
    },
    async (request, reply) =>
      sendJson(reply, await renameServiceOfApplication(ctx, await certificateUser(ctx, request), valuesOf(request))),
  );

  app.route({
    method: ['GET', 'POST'],
    url: `/list/${aidPath}`,
    schema: {
      operationId: 'listApplicationServices',
      tags,
      summary: "The services of one of your applications (another's, or none: [])",
      params: aidParams,
      response: appAnswers(ServiceList),
    },
    handler: async (request: AidRequest, reply) => {
      const who = await certificateUser(ctx, request);
      return sendJson(reply, await applicationServices(ctx, who, Number(request.params.aid)));
    },
  });
}
