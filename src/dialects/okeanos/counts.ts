// The three public counts of the central service's front page (no authentication).
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { ApiApp } from '../../api/app-types.ts';
import type { Resource } from '../../resources/models.ts';
import type { ResourceContext } from '../../resources/context.ts';
import type { State } from '../../domain/states.ts';
import { resourcesOfKindInStates } from '../../stats/stats.ts';
import { isRecordOf } from './records.ts';
import { route, withAndWithoutSlash } from './routing.ts';
import { codeOf, lambdaApplications, lambdaInstances, type RecordFlavor } from './statuses.ts';
import { sendStatus, StatusEnvelope } from './wire.ts';

const liveStates: State[] = ['pending', 'provisioning', 'active', 'stopped', 'suspended', 'succeeded', 'failed'];
const Count = StatusEnvelope(Type.Object({ count: Type.String({ description: 'a number, as a string' }) }));

async function records(ctx: ResourceContext, flavor: RecordFlavor, states: State[]): Promise<Resource[]> {
  return (await resourcesOfKindInStates(ctx, 'service', states)).filter((resource) => isRecordOf(flavor, resource));
}

const sendCount = (reply: FastifyReply, code: number, description: string, count: number) => sendStatus(reply, code, description, { count: String(count) });

export function countRoutes(app: ApiApp, ctx: ResourceContext) {
  route(app, 'GET', withAndWithoutSlash('/api/users/count'), { schema: { summary: 'How many users own lambda instances (answers 202, as the original)', response: { 202: Count } } },
    async (_request, reply) => {
      const owners = new Set((await records(ctx, lambdaInstances, liveStates)).map((resource) => resource.metadata.team));
      return sendCount(reply, 202, 'Lambda Users count on ~okeanos infrastructure.', owners.size);
    },
  );

  // Status "20" (FLINK_INSTALLED) and "0" (UPLOADED) are both our active.
  route(app, 'GET', withAndWithoutSlash('/api/lambda_instances/count'), { schema: { summary: 'How many lambda instances are fully up (status "20")', response: { 200: Count } } },
    async (_request, reply) => {
      const up = (await records(ctx, lambdaInstances, ['active'])).filter((resource) => codeOf(lambdaInstances, resource) === '20');
      return sendCount(reply, 200, 'Lambda instances count.', up.length);
    },
  );

  route(app, 'GET', withAndWithoutSlash('/api/lambda_applications/count'), { schema: { summary: 'How many lambda applications are uploaded (status "0")', response: { 200: Count } } },
    async (_request, reply) => {
      const uploaded = (await records(ctx, lambdaApplications, ['active'])).filter((resource) => codeOf(lambdaApplications, resource) === '0');
      return sendCount(reply, 200, 'Lambda applications count.', uploaded.length);
    },
  );
}
