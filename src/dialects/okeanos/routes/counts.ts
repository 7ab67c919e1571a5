// The three public counts of the central service's front page (no authentication), in the seed's form or,
// with `dialects.okeanos.countsForm: devel`, the later central service's that its own web page reads.
import type { ApiApp } from '../../../api/app-types.ts';
import type { Resource } from '../../../resources/models.ts';
import type { ResourceContext } from '../../../resources/context.ts';
import { standingStates, states, type State } from '../../../domain/states.ts';
import { resourcesOfKindInStates } from '../../../stats/stats.ts';
import { isRecordOf, timesStartedOf } from '../records.ts';
import { sendStatus } from '../reply.ts';
import { route, withAndWithoutSlash } from '../routing.ts';
import { codeOf, lambdaApplications, lambdaInstances, runningInstanceCodes, type RecordFlavor } from '../statuses.ts';
import { applicationsCount, instancesCount, usersCount, type CountsForm } from '../views.ts';
import { ApplicationsCountBody, InstancesCountBody, UsersCountBody } from '../wire.ts';

async function liveRecords(
  ctx: ResourceContext,
  flavor: RecordFlavor,
  inStates: readonly State[],
): Promise<Resource[]> {
  return (await resourcesOfKindInStates(ctx, 'service', inStates)).filter((resource) => isRecordOf(flavor, resource));
}

/** The devel central service kept destroyed instances' rows: "created" counts deleted records until they are purged. */
async function instancesEverHeld(ctx: ResourceContext): Promise<number> {
  return (await resourcesOfKindInStates(ctx, 'service', [...states])).filter(
    (resource) => resource.spec.type === lambdaInstances.type,
  ).length;
}

export function countRoutes(app: ApiApp, ctx: ResourceContext) {
  const form: CountsForm = ctx.config.dialects.okeanos.countsForm;

  route(
    app,
    'GET',
    withAndWithoutSlash('/api/users/count'),
    {
      schema: {
        summary: 'How many users own lambda instances (answers 202, as the original)',
        response: { 202: UsersCountBody },
      },
    },
    async (_request, reply) => {
      const owners = new Set(
        (await liveRecords(ctx, lambdaInstances, standingStates)).map((resource) => resource.metadata.team),
      );
      return sendStatus(reply, 202, 'Lambda Users count on ~okeanos infrastructure.', usersCount(form, owners.size));
    },
  );

  route(
    app,
    'GET',
    withAndWithoutSlash('/api/lambda_instances/count'),
    {
      schema: {
        summary: 'How many lambda instances are running (status "20" or "0")',
        response: { 200: InstancesCountBody },
      },
    },
    async (_request, reply) => {
      // FLINK_INSTALLED and STARTED are both our active.
      const running = (await liveRecords(ctx, lambdaInstances, ['active'])).filter((resource) =>
        runningInstanceCodes.includes(codeOf(lambdaInstances, resource)),
      );
      const created = form === 'devel' ? await instancesEverHeld(ctx) : 0;
      return sendStatus(
        reply,
        200,
        'Lambda instances count.',
        instancesCount(form, { running: running.length, created }),
      );
    },
  );

  route(
    app,
    'GET',
    withAndWithoutSlash('/api/lambda_applications/count'),
    {
      schema: {
        summary: 'How many lambda applications are uploaded (status "0")',
        response: { 200: ApplicationsCountBody },
      },
    },
    async (_request, reply) => {
      const uploaded = (await liveRecords(ctx, lambdaApplications, ['active'])).filter(
        (resource) => codeOf(lambdaApplications, resource) === '0',
      );
      const started = uploaded.reduce((sum, resource) => sum + timesStartedOf(resource), 0);
      return sendStatus(
        reply,
        200,
        'Lambda applications count.',
        applicationsCount(form, { uploaded: uploaded.length, started }),
      );
    },
  );
}
