// IMC's infrastructure routes: deploy, describe, list by status, delete; each a job in the IMC team.
import { randomUUID } from 'node:crypto';
import type { ApiApp } from '../../../api/app-types.ts';
import { callerOf } from '../../../api/auth.ts';
import type { EngineContext } from '../../../engine/run-operation.ts';
import { jobKind } from '../../../resources/kinds/job.ts';
import { deleteResource } from '../../../resources/deletion.ts';
import { createResource } from '../../../resources/resources.ts';
import { jobFromDeploy } from '../jobs.ts';
import { imcModel } from '../model.ts';
import { descriptionView, listedView } from '../views.ts';
import { DeleteQuery, Deployed, DeployBody, Description, Empty, ErrorAnswer, IdParams, Invalid, Listed, ListQuery, Refused } from '../wire.ts';

const tags = ['imc'];
// HTTP Basic is accepted too; the document declares only the bearer scheme, which every surface shares.
const security = [{ bearerAuth: [] }];
const unauthorized = { 401: ErrorAnswer };

export function infrastructureRoutes(app: ApiApp, ctx: EngineContext, team: string) {
  const cloud = ctx.config.engine.drivers[jobKind.name] ?? jobKind.defaultDriver;
  const model = imcModel(ctx, team);

  app.post(
    '/v1/infrastructures',
    {
      schema: {
        tags,
        summary: 'Deploy infrastructure: a job, answered at once while it runs in the background',
        security,
        body: DeployBody,
        response: { 201: Deployed, 400: Refused, 403: ErrorAnswer, ...unauthorized },
      },
    },
    async (request, reply) => {
      const job = await createResource(ctx, callerOf(request), team, jobFromDeploy(randomUUID(), request.body));
      return reply.code(201).send({ id: job.metadata.id });
    },
  );

  app.get(
    '/v1/infrastructures/:id',
    {
      schema: {
        tags,
        summary: 'Describe infrastructure: its IMC status, the reason when unable or failed, the cloud (driver)',
        security,
        params: IdParams,
        response: { 200: Description, 404: Invalid, ...unauthorized },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const job = await model.find(caller, request.params.id);
      return descriptionView(job, await model.statusOf(caller, job), cloud);
    },
  );

  for (const path of ['/v1/infrastructures', '/v1/infrastructures/']) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'List the infrastructures in one status (required), optionally on one cloud (driver)',
          security,
          hide: path.endsWith('/'),
          querystring: ListQuery,
          response: { 200: Listed, 400: Empty, ...unauthorized },
        },
      },
      async (request, reply) => {
        const { status, cloud: wanted } = request.query;
        if (status === undefined) return reply.code(400).send({});
        if (wanted !== undefined && wanted !== cloud) return [];
        return (await model.listInStatus(callerOf(request), status)).map(listedView);
      },
    );
  }

  app.delete(
    '/v1/infrastructures/:id',
    {
      schema: {
        tags,
        summary: 'Delete infrastructure: deletion-requested at once, then deleting and deleted in the background',
        security,
        params: IdParams,
        querystring: DeleteQuery,
        response: { 200: Empty, 400: Empty, 404: Invalid, ...unauthorized },
      },
    },
    async (request, reply) => {
      if (request.query.type !== undefined) return reply.code(400).send({});
      const caller = callerOf(request);
      await model.find(caller, request.params.id);
      await deleteResource(ctx, caller, team, request.params.id);
      return {};
    },
  );
}

