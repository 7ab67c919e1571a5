// The local driver's image cache: pulls an image once by digest, unpacks it once, and lends its root
// filesystem to every resource that runs it; a lent image is never pruned, the others go by the size budget.
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PermanentDriverError } from '../../driver.ts';
import { createKeyedQueue } from '../keyed-queue.ts';
import { findProgram } from '../processes/find-program.ts';
import { PullFailure, resolveManifest, type ResolvedManifest } from './manifest.ts';
import { pruneCache } from './prune.ts';
import { cacheLayout, hexOf, pullIntoCache, type PullProgress, type Tools } from './pull.ts';
import { formatReference, parseImageReference, type ImageReference } from './reference.ts';
import { locationsOf, type Location, type Registries } from './registry-access.ts';

export interface ImageCacheOptions {
  cacheDir: string;
  /** Beyond this many bytes, unlent images are pruned, least recently used first. */
  maxBytes: number;
  /** The registry of a reference that names none (`alpine:3`). */
  defaultRegistry: string;
  registries: Registries;
}

/** A cached image as a resource runs it. */
export interface PulledImage {
  reference: string;
  digest: string;
  indexDigest?: string;
  rootfs: string;
  /** The image's own entrypoint and command, environment and working directory. */
  command: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface ImageCache {
  /** What is missing for pulling here (skopeo, umoci), or undefined when pulls can happen. */
  missingTools(): string[];
  /** The image, pulled if needed, lent to `user` until release. Pull failures are worth retrying. */
  acquire(name: string, user: string, onProgress: (progress: PullProgress) => void): Promise<PulledImage>;
  release(user: string): Promise<void>;
}

interface RuntimeConfig {
  process?: { args?: string[]; env?: string[]; cwd?: string };
}

const parseEnv = (entries: string[]) =>
  Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));

export function createImageCache(options: ImageCacheOptions): ImageCache {
  const cache = cacheLayout(options.cacheDir);
  const leases = path.join(options.cacheDir, 'users');
  const found = { skopeo: findProgram('skopeo'), umoci: findProgram('umoci') };
  // One OCI layout is shared by every pull, and skopeo and umoci do not lock it: its writers take turns.
  const queue = createKeyedQueue();
  const exclusively = <T>(work: () => Promise<T>) => queue.run('cache', work);
  const tools = (): Tools => {
    if (!found.skopeo || !found.umoci) throw new PermanentDriverError('skopeo and umoci are needed to pull images');
    return found as Tools;
  };

  /** Lends a complete bundle to `user` and marks it used now; undefined when it is not cached. */
  const lend = async (
    reference: ImageReference,
    manifest: Pick<ResolvedManifest, 'digest' | 'indexDigest'>,
    user: string,
  ) => {
    const bundle = path.join(cache.bundles, hexOf(manifest.digest));
    if (!existsSync(path.join(bundle, 'config.json'))) return undefined;
    await mkdir(path.join(leases, hexOf(manifest.digest)), { recursive: true });
    await writeFile(path.join(leases, hexOf(manifest.digest), user), '');
    const now = new Date();
    await utimes(bundle, now, now);
    const config = JSON.parse(await readFile(path.join(bundle, 'config.json'), 'utf8')) as RuntimeConfig;
    return {
      reference: formatReference(reference),
      digest: manifest.digest,
      ...(manifest.indexDigest ? { indexDigest: manifest.indexDigest } : {}),
      rootfs: path.join(bundle, 'rootfs'),
      command: config.process?.args ?? [],
      env: parseEnv(config.process?.env ?? []),
      cwd: config.process?.cwd ?? '/',
    };
  };

  const held = async () => {
    if (!existsSync(leases)) return new Set<string>();
    const names = await readdir(leases);
    const lent = await Promise.all(
      names.map(async (hex) => ((await readdir(path.join(leases, hex))).length > 0 ? hex : '')),
    );
    return new Set(lent.filter(Boolean));
  };

  /** Each mirror, then the registry: the first that answers is pulled from; all failing say why each failed. */
  const resolve = async (reference: ImageReference, locations: Location[]) => {
    const failures: string[] = [];
    for (const location of locations) {
      try {
        return {
          location,
          manifest: await resolveManifest(tools().skopeo, location, reference.digest ?? reference.tag!),
        };
      } catch (error) {
        if (!(error instanceof PullFailure)) throw error;
        failures.push(locations.length > 1 ? `${location.host}: ${error.message}` : error.message);
      }
    }
    throw new PullFailure(failures.join('; '));
  };

  return {
    missingTools: () => Object.entries(found).flatMap(([name, program]) => (program ? [] : [name])),
    async acquire(name, user, onProgress) {
      const reference = parseImageReference(name, options.defaultRegistry);
      const failed = (error: unknown) =>
        error instanceof PullFailure
          ? new Error(`pulling image ${formatReference(reference)} failed: ${error.message}`)
          : error;
      try {
        const pinned = reference.digest;
        const cached = pinned && (await exclusively(() => lend(reference, { digest: pinned }, user)));
        if (cached) return cached;
        onProgress({ phase: 'resolving' });
        const { location, manifest } = await resolve(reference, locationsOf(reference, options.registries));
        return await exclusively(async () => {
          const image = await lend(reference, manifest, user);
          if (image) return image;
          await pullIntoCache(tools(), cache, location, manifest, onProgress);
          const pulled = (await lend(reference, manifest, user))!;
          await pruneCache(tools(), options.cacheDir, cache, options.maxBytes, await held());
          return pulled;
        });
      } catch (error) {
        throw failed(error);
      }
    },
    release: (user) =>
      exclusively(async () => {
        if (!existsSync(leases)) return;
        for (const hex of await readdir(leases)) await rm(path.join(leases, hex, user), { force: true });
      }),
  };
}
