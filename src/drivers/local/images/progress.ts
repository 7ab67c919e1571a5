// How a pull shows in a resource's status (and so on the change feed): its phase, layers and bytes, then the
// digest that was run.
import type { Observation } from '../../driver.ts';
import type { PulledImage } from './image-cache.ts';
import type { PullProgress } from './pull.ts';

const mebibytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const describe = (name: string, progress: PullProgress): string => {
  if (progress.phase === 'resolving') return `resolving image ${name}`;
  if (progress.phase === 'unpacking') return `unpacking image ${name} (${progress.digest})`;
  const { layers, bytes } = progress;
  const counts =
    layers && bytes
      ? `: ${layers.done} of ${layers.total} layers, ${mebibytes(bytes.done)} of ${mebibytes(bytes.total)}`
      : '';
  return `pulling image ${name}${counts}`;
};

export const pullObservation = (name: string, progress: PullProgress): Observation => ({
  state: 'provisioning',
  message: describe(name, progress),
  details: { image: { name, ...progress } },
});

/** What status.details.image says once the image runs: where it came from and, when pulled, its digest. */
export const imageDetails = (name: string, pulled: PulledImage | undefined): Record<string, unknown> =>
  pulled
    ? {
        name,
        phase: 'ready',
        source: 'registry',
        reference: pulled.reference,
        digest: pulled.digest,
        ...(pulled.indexDigest ? { indexDigest: pulled.indexDigest } : {}),
      }
    : { name, phase: 'ready', source: 'local' };
