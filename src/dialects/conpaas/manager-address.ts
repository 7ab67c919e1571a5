// /start answers once the service answers at its address, as the director's create_nodes waited for the manager
// VM's IP (and cps then for the manager to answer).
import type { Resource } from '../../resources/models.ts';
import { getResource } from '../../resources/resources.ts';
import { type ResourceContext } from '../../resources/context.ts';
import type { Caller } from '../../domain/caller.ts';

export type ManagerOutcome = { resource: Resource; address: string } | { resource: Resource; failure: string };

const addressOf = (resource: Resource) =>
  typeof resource.status.details.address === 'string' ? resource.status.details.address : undefined;

/** The service's address once it is active (it answers), or why not: it failed, or `startTimeoutSeconds` passed. Woken by the change feed, not by polling. */
export async function waitForManagerAddress(
  ctx: ResourceContext,
  caller: Caller,
  teamId: string,
  id: string,
): Promise<ManagerOutcome> {
  const seconds = ctx.config.dialects.conpaas.startTimeoutSeconds;
  let wake = () => {};
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(() => resolve(void (expired = true)), seconds * 1000);
  });
  // Subscribed before the first read, so a change between the read and the wait still wakes it.
  const unsubscribe = await ctx.feed.subscribe((event) => event.object_id === id && wake());
  try {
    for (;;) {
      const changed = new Promise<void>((resolve) => (wake = resolve));
      const resource = await getResource(ctx, caller, teamId, id);
      const address = addressOf(resource);
      if (address && resource.status.state === 'active') return { resource, address };
      if (resource.status.state === 'failed')
        return { resource, failure: resource.status.message || 'the service failed' };
      if (expired)
        return {
          resource,
          failure: address
            ? `the service does not answer at ${address} after ${seconds} s`
            : `the manager has no address after ${seconds} s`,
        };
      await Promise.race([changed, timedOut]);
    }
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}
