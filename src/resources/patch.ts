// JSON merge patch of a resource: the merge is made on the version it is written onto.
import { DomainError } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import { mergePatch } from './merge-patch.ts';
import type { Resource } from './models.ts';
import { raceLost, retryLostRaces } from './races.ts';
import { getResource, updateResource } from './resources.ts';
import type { ResourceContext } from './context.ts';

export interface ResourcePatch {
  spec?: Record<string, unknown>;
  labels?: Record<string, string | null>;
}

/**
 * Reads, merges and writes as one retried unit. Without an expected version from the client, a
 * write that finds the resource changed since the read (often by a status write) merges again onto
 * the new version; with one, that change is the client's 412.
 */
export function patchResource(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
  patch: ResourcePatch,
  expectedVersion?: string,
): Promise<Resource> {
  return retryLostRaces(expectedVersion, async () => {
    const current = await getResource(ctx, caller, teamRef, id);
    const changes = {
      spec: patch.spec === undefined ? undefined : mergePatch(current.spec, patch.spec),
      labels:
        patch.labels === undefined
          ? undefined
          : (mergePatch(current.metadata.labels, patch.labels) as Record<string, string>),
    };
    try {
      return await updateResource(
        ctx,
        caller,
        teamRef,
        id,
        changes,
        expectedVersion ?? current.metadata.resourceVersion,
      );
    } catch (error) {
      const changedSinceRead =
        expectedVersion === undefined && error instanceof DomainError && error.code === 'precondition-failed';
      throw changedSinceRead ? raceLost(`resource ${id} changed while it was being patched; retry`) : error;
    }
  });
}
