// Deploying through IMC: a dry run names the candidate clouds; a deploy creates its infrastructure once per
// Idempotency-Key, so a client's retry (PROMINENCE retries after its 20 s timeout) finds the first one.
import type { ResourceContext } from '../../resources/context.ts';
import { DomainError, invalid } from '../../domain/errors.ts';
import type { Caller } from '../../domain/caller.ts';
import { requireKind } from '../../resources/kinds/registry.ts';
import { createResource } from '../../resources/resources.ts';
import { planDeploy } from './bodies.ts';
import { infrastructureIdFor } from './ids.ts';
import type { ImcModel } from './model.ts';

export type DeployAnswer = { code: 200; body: { sites: string[] } } | { code: 200 | 201; body: { id: string } };

const isDryRun = (body: unknown) => typeof body === 'object' && body !== null && 'dryrun' in body;

export function imcDeployer(ctx: ResourceContext, team: string, model: ImcModel) {
  const settings = ctx.config.dialects.imc;

  /** As IMC: the dry run is decided before the key is looked at, and checks the body as a deploy would, quotas aside. */
  function dryRun(body: unknown): DeployAnswer {
    const plan = planDeploy(body, settings, model.jobCloud);
    if ('wanted' in plan) requireKind(ctx.kinds, plan.wanted.kind).prepareSpec(plan.wanted.spec);
    return { code: 200, body: { sites: plan.clouds } };
  }

  /** A key already used by an infrastructure is a retry: 200 with its id, whatever the body (as IMC answers). */
  async function deploy(
    caller: Caller,
    body: unknown,
    idempotencyKey: string | string[] | undefined,
  ): Promise<DeployAnswer> {
    if (isDryRun(body)) return dryRun(body);
    const { id, keyed } = infrastructureIdFor(idempotencyKey);
    if (keyed && (await model.exists(caller, id))) return { code: 200, body: { id } };
    const plan = planDeploy(body, settings, model.jobCloud);
    if (!('wanted' in plan)) throw invalid(plan.whyNot);
    try {
      await createResource(ctx, caller, team, { id, name: `imc-${id}`, ...plan.wanted });
    } catch (error) {
      // Two tries with one key at once: the second finds the first's insert.
      const raced =
        keyed &&
        error instanceof DomainError &&
        error.details.reason === 'already-exists' &&
        (await model.exists(caller, id));
      if (raced) return { code: 200, body: { id } };
      throw error;
    }
    return { code: 201, body: { id } };
  }

  return { deploy };
}
