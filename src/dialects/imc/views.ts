// Core resources shaped as IMC's answers: the description of one infrastructure and a list entry.
import type { Resource } from '../../resources/models.ts';
import type { ImcStatus } from './wire.ts';

/** The driver's own handle where it has one (a Slurm job id), else the resource's id; none before anything ran. */
function infraIdOf(resource: Resource): string | null {
  if (resource.status.state === 'pending') return null;
  const slurmJobId = resource.status.details.slurmJobId;
  return slurmJobId === undefined ? resource.metadata.id : String(slurmJobId);
}

/** The body's `identity`, kept with whatever else the client sent beyond the kind's fields. */
function identityOf(resource: Resource): string | null {
  const identity = (resource.spec.extra as Record<string, unknown> | undefined)?.identity;
  return typeof identity === 'string' ? identity : null;
}

const epochSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

export const descriptionView = (
  resource: Resource,
  { status, reason }: { status: ImcStatus; reason: string | null },
  cloud: string,
) => ({
  status,
  status_reason: reason,
  cloud,
  infra_id: infraIdOf(resource),
});

export const listedView = (resource: Resource) => ({
  id: resource.metadata.id,
  created: epochSeconds(resource.metadata.createdAt),
  updated: epochSeconds(resource.metadata.updatedAt),
  identity: identityOf(resource),
});
