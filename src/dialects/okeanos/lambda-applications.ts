// /api/lambda_applications: the records service VMs keep of the applications they upload.
import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../api/app-types.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { recordRoutes } from './record-routes.ts';
import type { Authentication } from './routing.ts';
import { codeOf, failureMessageOf, lambdaApplications } from './statuses.ts';

export function lambdaApplicationRoutes(app: ApiApp, ctx: ResourceContext, authentication: Authentication) {
  recordRoutes(app, ctx, authentication, {
    flavor: lambdaApplications,
    base: '/api/lambda_applications',
    deleteAliases: ['/api/lambda-applications'],
    createFields: Type.Object({ description: Type.String() }),
    infoOf: (body) => ({ description: String(body.description) }),
    listItem: Type.Object({ uuid: Type.String(), description: Type.String(), name: Type.String(), status: Type.String(), failure_message: Type.String() }),
    itemOf: (resource) => ({
      uuid: resource.metadata.id,
      description: (resource.spec.info as Record<string, unknown>).description ?? '',
      name: resource.spec.displayName,
      status: codeOf(lambdaApplications, resource),
      failure_message: failureMessageOf(lambdaApplications, resource),
    }),
    words: {
      created: 'Your request to create the specified application has been accepted.',
      updated: 'Lambda application status update accepted.',
      deleted: 'Your request to delete the specified application has been accepted.',
      list: 'Lambda Applications.',
    },
  });
}
