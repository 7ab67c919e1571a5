// /api/lambda_instances: the records service VMs keep of the Flink clusters they build.
import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../../../api/app-types.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { OkeanosError } from '../errors.ts';
import type { Authentication } from '../routing.ts';
import { lambdaInstances } from '../statuses.ts';
import { instanceItem } from '../views.ts';
import { InstanceItem } from '../wire.ts';
import { recordRoutes } from './record-routes.ts';
import { nestsDeeperThan } from '../../../domain/depth.ts';

/** Deeper than any instance info the service VM sends (a flat object); writing it out would exhaust the stack. */
const maxInfoDepth = 64;

/** instance_info is a JSON-encoded string; another JSON value is kept as its JSON text. */
function infoText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (nestsDeeperThan(value, maxInfoDepth))
    throw new OkeanosError(400, `instance_info: Nested deeper than ${maxInfoDepth} levels.`);
  return JSON.stringify(value);
}

export function lambdaInstanceRoutes(app: ApiApp, ctx: ResourceContext, authentication: Authentication) {
  recordRoutes(app, ctx, authentication, {
    flavor: lambdaInstances,
    base: '/api/lambda_instances',
    noun: 'LambdaInstance',
    deleteAliases: ['/api/lambda-instances'],
    createFields: Type.Object({
      instance_info: Type.Unknown({
        description: 'JSON-encoded instance info (instance_name, master_name, slaves, ...)',
      }),
    }),
    infoOf: (body) => ({ instance_info: infoText(body.instance_info) }),
    listItem: InstanceItem,
    itemOf: instanceItem,
    words: {
      created: 'Your request to create a new lambda instance has been accepted.',
      updated: 'Lambda instances status update accepted.',
      deleted: 'Your request to destroy the specified lambda instance has been accepted.',
      list: 'Lambda instances.',
    },
  });
}
