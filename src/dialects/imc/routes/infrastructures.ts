// IMC's infrastructure routes: deploy, describe, list by status, delete; each a job or a server of the IMC team.
import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../../api/app-types.ts';
import { callerOf } from '../../../api/auth.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { deleteResource } from '../../../resources/deletion.ts';
import { imcDeployer } from '../deploy.ts';
import { imcModel } from '../model.ts';
import { descriptionView, listedView } from '../views.ts';
import {
  DeleteQuery,
  Deployed,
  DeployBody,
  Description,
  DryRun,
  Empty,
  ErrorAnswer,
  IdParams,
  Invalid,
  Listed,
  ListQuery,
  MaybeWhy,
  Refused,
} from '../wire.ts';

const tags = ['imc'];
const unauthorized = { 401: ErrorAnswer };

export function infrastructureRoutes(app: ApiApp, ctx: ResourceContext, team: string) {
  const model = imcModel(ctx, team);
  const { deploy } = imcDeployer(ctx, team, model);

  app.post(
    '/v1/infrastructures',
    {
      schema: {
        tags,
        summary: 'Deploy infrastructure: a job or a machine, answered at once while it is made in the background',
        description:
          'With an Idempotency-Key that is a uuid, the key is the id and a repeat answers 200 with it. With `dryrun`, answers the sites that could take it and deploys nothing.',
        body: DeployBody,
        response: {
          200: Type.Union([Deployed, DryRun]),
          201: Deployed,
          400: Refused,
          403: ErrorAnswer,
          415: ErrorAnswer,
          ...unauthorized,
        },
      },
      // bodies.ts reads the body: which form it is decides which schema applies, and unknown keys are kept.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const answer = await deploy(callerOf(request), request.body, request.headers['idempotency-key']);
      return reply.code(answer.code).send(answer.body);
    },
  );

  app.get(
    '/v1/infrastructures/:id',
    {
      schema: {
        tags,
        summary: 'Describe infrastructure: its IMC status, the reason when unable or failed, its cloud',
        params: IdParams,
        response: { 200: Description, 404: Invalid, ...unauthorized },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const infrastructure = await model.find(caller, request.params.id);
      return descriptionView(
        infrastructure,
        await model.statusOf(caller, infrastructure),
        model.cloudOf(infrastructure),
      );
    },
  );

  for (const path of ['/v1/infrastructures', '/v1/infrastructures/']) {
    app.get(
      path,
      {
        schema: {
          tags,
          summary: 'List the infrastructures in one status (required), optionally on one cloud',
          hide: path.endsWith('/'),
          querystring: ListQuery,
          response: { 200: Listed, 400: MaybeWhy, ...unauthorized },
        },
      },
      async (request, reply) => {
        const { status, cloud } = request.query;
        if (status === undefined) return reply.code(400).send({});
        const listed = await model.listInStatus(callerOf(request), status);
        return listed
          .filter((infrastructure) => cloud === undefined || model.cloudOf(infrastructure) === cloud)
          .map(listedView);
      },
    );
  }

  app.delete(
    '/v1/infrastructures/:id',
    {
      schema: {
        tags,
        summary: 'Delete infrastructure: deletion-requested at once, then deleting and deleted in the background',
        params: IdParams,
        querystring: DeleteQuery,
        response: { 200: Empty, 400: MaybeWhy, 404: Invalid, ...unauthorized },
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
