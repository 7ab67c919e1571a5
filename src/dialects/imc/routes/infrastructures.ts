// IMC's four infrastructure routes: deploy, describe, list by status, delete; each a job in the IMC team.
import { randomUUID } from 'node:crypto';
import type { ApiApp } from '../../api/app-types.ts';
import { callerOf } from '../../api/auth.ts';
import type { EngineContext } from '../../engine/run-operation.ts';
import type { Caller } from '../../identity/caller.ts';
import { jobKind } from '../../resources/kinds/job.ts';
import type { Resource } from '../../resources/models.ts';
import { deleteResource } from '../../resources/deletion.ts';
import { listOperations } from '../../resources/operations.ts';
import { createResource, getResource, listResources } from '../../resources/resources.ts';
import { states, type State } from '../../resources/states.ts';
import { notFound } from '../../domain/errors.ts';
import { epochSeconds, identityLabel, imcStatusOf, infraIdOf, jobFromDeploy, wordsOf } from './translate.ts';
import { DeleteQuery, Deployed, DeployBody, Description, Empty, ErrorAnswer, IdParams, Invalid, Listed, ListQuery, Refused, type ImcStatus } from './wire.ts';

const tags = ['imc'];
// HTTP Basic is accepted too; the document declares only the bearer scheme, which every surface shares.
const security = [{ bearerAuth: [] }];
const unauthorized = { 401: ErrorAnswer };

export function imcRoutes(app: ApiApp, ctx: EngineContext, team: string) {
  const cloud = ctx.config.engine.drivers[jobKind.name] ?? jobKind.defaultDriver;

  /** Only jobs are infrastructures: another kind in the team is as unknown as a wrong id. */
  async function findJob(caller: Caller, id: string): Promise<Resource> {
    const resource = await getResource(ctx, caller, team, id);
    if (resource.metadata.kind !== jobKind.name) throw notFound('infrastructure', id);
    return resource;
  }

  async function statusOf(caller: Caller, resource: Resource) {
    const started =
      resource.status.state === 'deleting' &&
      (await listOperations(ctx, caller, team, resource.metadata.id)).some((o) => o.type === 'delete' && (o.state !== 'queued' || o.attempts > 0));
    return imcStatusOf(resource, started);
  }

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
      const job = await findJob(caller, request.params.id);
      const { status, reason } = await statusOf(caller, job);
      return { status, status_reason: reason, cloud, infra_id: infraIdOf(job) };
    },
  );

  async function jobsIn(caller: Caller, state: State): Promise<Resource[]> {
    const limit = ctx.config.api.maxPageSize;
    const jobs: Resource[] = [];
    for (let after: string | undefined; ; ) {
      const page = await listResources(ctx, caller, team, { kind: jobKind.name, state, after, limit });
      jobs.push(...page);
      if (page.length < limit) return jobs;
      after = page[page.length - 1].metadata.id;
    }
  }

  /** An unknown word matches no state and lists nothing, as on the real server. */
  async function list(caller: Caller, status: string) {
    const found: Resource[] = [];
    for (const state of states.filter((s) => wordsOf[s].includes(status as ImcStatus))) {
      for (const job of await jobsIn(caller, state)) if ((await statusOf(caller, job)).status === status) found.push(job);
    }
    found.sort((a, b) => a.metadata.createdAt.localeCompare(b.metadata.createdAt));
    return found.map((job) => ({
      id: job.metadata.id,
      created: epochSeconds(job.metadata.createdAt),
      updated: epochSeconds(job.metadata.updatedAt),
      identity: job.metadata.labels[identityLabel] ?? null,
    }));
  }

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
        return list(callerOf(request), status);
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
      await findJob(caller, request.params.id);
      await deleteResource(ctx, caller, team, request.params.id);
      return {};
    },
  );
}

