// Where a job's or server's image comes from: a rootfs directory or a podman copy on this host, else a pull into
// the image cache, run with bubblewrap; an image with no way to run here is a permanent error, never a host run.
import { PermanentDriverError, type Observation } from '../../driver.ts';
import type { ImageCache, PulledImage } from '../images/image-cache.ts';
import { pullObservation } from '../images/progress.ts';
import type { PullProgress } from '../images/pull.ts';
import { findProgram } from '../processes/find-program.ts';
import { localContainer, type Container, type ContainerOptions } from './container.ts';

export interface ImageOptions extends ContainerOptions {
  /** Pulls images this host has no copy of; without it such images cannot run. */
  images?: ImageCache;
}

export interface ImageContainer {
  container: Container;
  pulled?: PulledImage;
}

/** `user` holds a pulled image until it releases it; `hasCmd`: it brings its own command (a rootfs has none). */
export async function containerForImage(
  image: string | undefined,
  hasCmd: boolean,
  user: string,
  options: ImageOptions,
  report: (observation: Observation) => Promise<void>,
): Promise<ImageContainer> {
  if (image === undefined) return { container: { kind: 'host' } };
  const local = localContainer(image, hasCmd, options);
  if ('container' in local) return local;
  const bwrap = options.containerRuntime !== 'podman' ? findProgram('bwrap') : undefined;
  const missing = [...(options.images ? options.images.missingTools() : ['image cache']), ...(bwrap ? [] : ['bwrap'])];
  if (!options.images || missing.length > 0)
    throw new PermanentDriverError(
      `image ${image} cannot be run here: ${local.whyNot}, and it cannot be pulled: no ${missing.join(', no ')}`,
    );
  // Reports go out one after another and are all written before the caller's own answer: a late one would
  // set the resource back to provisioning.
  let reporting = Promise.resolve();
  const onProgress = (progress: PullProgress) => {
    reporting = reporting.then(() => report(pullObservation(image, progress))).catch(() => undefined);
  };
  const pulled = await options.images.acquire(image, user, onProgress).finally(() => reporting);
  return { container: { kind: 'bwrap', program: bwrap!, rootfs: pulled.rootfs }, pulled };
}
