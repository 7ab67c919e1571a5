// /update_status/<type>/<id>: Concertim's power buttons on devices (our servers) and racks (our stacks).
import { DomainError, notFound } from '../../../domain/errors.ts';
import { requestAction } from '../../../resources/actions.ts';
import type { Action } from '../../../domain/states.ts';
import { isUuid } from '../../../lib/ids.ts';
import { findResourceById } from '../../../store/resources.ts';
import { callerFromCloudEnv } from '../cloud-env.ts';
import { invalidApiCall } from '../errors.ts';
import { responses, StatusChanged, UpdateStatusBody, UpdateStatusParams } from '../wire.ts';
import { tags, type ConcertimRoutes } from './common.ts';

interface ObjectType {
  kind: 'server' | 'stack';
  actions: Record<string, Action>;
}

const device: ObjectType = {
  kind: 'server',
  actions: { on: 'start', off: 'stop', suspend: 'suspend', resume: 'resume', destroy: 'destroy' },
};

/** `devices` is the seed's word, `instances` the current client's; racks may also suspend and resume (the code did). */
const objectTypes: Record<string, ObjectType> = {
  devices: device,
  instances: device,
  racks: { kind: 'stack', actions: { suspend: 'suspend', resume: 'resume', destroy: 'destroy' } },
};

function actionFor(type: string, action: string): { objectType: ObjectType; action: Action } {
  const objectType = Object.hasOwn(objectTypes, type) ? objectTypes[type] : undefined;
  if (!objectType)
    throw invalidApiCall(
      `unknown object type "${type}": use racks, devices or instances (cloudplane has no volumes or networks)`,
    );
  const mapped = Object.hasOwn(objectType.actions, action) ? objectType.actions[action] : undefined;
  if (!mapped)
    throw invalidApiCall(
      `"${action}" is not a valid action for ${type}: use ${Object.keys(objectType.actions).join(', ')}`,
    );
  return { objectType, action: mapped };
}

export const updateStatusRoutes: ConcertimRoutes = (app, ctx) => {
  app.post(
    '/update_status/:type/:id',
    {
      schema: {
        operationId: 'updateStatus',
        tags,
        summary:
          'Power a server (devices, instances: on, off, suspend, resume, destroy) or a stack (racks: suspend, resume, destroy)',
        description:
          'Queued for the engine; the state changes as the driver carries it out. 406 for an unknown type or action, 409 when the state does not allow it.',
        params: UpdateStatusParams,
        body: UpdateStatusBody,
        response: responses(StatusChanged),
      },
    },
    async (request, reply) => {
      const { objectType, action } = actionFor(request.params.type, request.body.action);
      const caller = await callerFromCloudEnv(ctx, request.body.cloud_env);
      const { id } = request.params;
      const row = isUuid(id) ? await findResourceById(ctx.store.db, id) : undefined;
      if (!row || row.kind !== objectType.kind) throw notFound(objectType.kind, id);
      await requestAction(ctx, caller, row.team_id, id, action).catch((error) => {
        // Another team's object does not exist for this caller, and its team is not named either.
        throw error instanceof DomainError && error.code === 'not-found' ? notFound(objectType.kind, id) : error;
      });
      const cloudResponse =
        objectType.kind === 'stack'
          ? { submitted: true, request_ids: [], attempt: {} }
          : { submitted: true, request_ids: [`req-${request.id}`] };
      return reply.code(201).send({ cloud_response: cloudResponse });
    },
  );
};
