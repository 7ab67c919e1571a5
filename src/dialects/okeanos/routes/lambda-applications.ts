// /api/lambda_applications: the records service VMs keep of the applications they upload, and how
// often each was started (increment_started / decrement_started, from the devel service VM).
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../../../api/app-types.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { okeanosCallerOf } from '../auth.ts';
import { changeTimesStarted } from '../records.ts';
import { sendJson } from '../reply.ts';
import { route, withAndWithoutSlash, type Authentication } from '../routing.ts';
import { lambdaApplications } from '../statuses.ts';
import { applicationItem } from '../views.ts';
import { ApplicationItem, CounterAnswer, errorResponses, UuidParams } from '../wire.ts';
import { recordRoutes } from './record-routes.ts';

const counterChanges = [
  {
    path: 'increment_started',
    operationId: 'incrementLambdaApplicationStarted',
    by: 1,
    words: 'Your request to increment the times started of the specified application has been accepted.',
  },
  {
    path: 'decrement_started',
    operationId: 'decrementLambdaApplicationStarted',
    by: -1,
    words: 'Your request to decrement the times started of the specified application has been accepted.',
  },
] as const;

export function lambdaApplicationRoutes(app: ApiApp, ctx: ResourceContext, authentication: Authentication) {
  recordRoutes(app, ctx, authentication, {
    flavor: lambdaApplications,
    base: '/api/lambda_applications',
    noun: 'LambdaApplication',
    deleteAliases: ['/api/lambda-applications'],
    createFields: Type.Object({ description: Type.String() }),
    infoOf: (body) => ({ description: String(body.description) }),
    listItem: ApplicationItem,
    itemOf: applicationItem,
    words: {
      created: 'Your request to create the specified application has been accepted.',
      updated: 'Lambda application status update accepted.',
      deleted: 'Your request to delete the specified application has been accepted.',
      list: 'Lambda Applications.',
    },
  });

  for (const change of counterChanges) {
    route(
      app,
      'POST',
      withAndWithoutSlash(`/api/lambda_applications/:uuid/${change.path}`).reverse(),
      {
        authentication,
        schema: {
          operationId: change.operationId,
          summary: `${change.by > 0 ? 'Count one more' : 'Count one fewer'} start of a lambda application (times_started; answers 202 without the status envelope, as the original)`,
          params: UuidParams,
          response: { 202: CounterAnswer, ...errorResponses },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { uuid } = request.params as { uuid: string };
        await changeTimesStarted(ctx, okeanosCallerOf(request), uuid, change.by);
        return sendJson(reply, 202, { code: 202, short_description: change.words });
      },
    );
  }
}
