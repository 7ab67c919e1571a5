// Brings one resolved image into the cache: skopeo copies it by digest into the shared OCI layout (it checks
// every blob's digest and skips the layers the layout already holds), then umoci unpacks it, rootless, into a
// bundle that appears under its digest only once complete.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedManifest } from './manifest.ts';
import { PullFailure } from './manifest.ts';
import { describePullFailure } from './pull-errors.ts';
import { withRegistryAccess, type Location } from './registry-access.ts';
import { runTool } from './run-tool.ts';

export type PullPhase = 'resolving' | 'pulling' | 'unpacking';

export interface PullProgress {
  phase: PullPhase;
  digest?: string;
  layers?: { done: number; total: number };
  bytes?: { done: number; total: number };
}

export interface CacheLayout {
  /** The OCI layout holding every cached blob, tagged by the manifest digest's hex. */
  layout: string;
  /** Unpacked bundles (rootfs/ and config.json), one per manifest digest's hex. */
  bundles: string;
  scratch: string;
}

export const hexOf = (digest: string) => digest.slice('sha256:'.length);

export const cacheLayout = (cacheDir: string): CacheLayout => ({
  layout: path.join(cacheDir, 'oci'),
  bundles: path.join(cacheDir, 'rootfs'),
  scratch: path.join(cacheDir, 'tmp'),
});

export interface Tools {
  skopeo: string;
  umoci: string;
}

/** skopeo prints `Copying blob sha256:...` as each layer starts and `Copying config` once they are all in. */
const layerProgress = (manifest: ResolvedManifest, onProgress: (progress: PullProgress) => void) => {
  const total = manifest.layers.length;
  const bytesTotal = manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
  const report = (done: number) =>
    onProgress({
      phase: 'pulling',
      digest: manifest.digest,
      layers: { done, total },
      bytes: { done: manifest.layers.slice(0, done).reduce((sum, layer) => sum + layer.size, 0), total: bytesTotal },
    });
  let started = 0;
  report(0);
  return (line: string) => {
    if (line.startsWith('Copying blob')) {
      started += 1;
      if (started > 1) report(Math.min(started - 1, total));
    } else if (line.startsWith('Copying config')) report(total);
  };
};

export async function pullIntoCache(
  tools: Tools,
  cache: CacheLayout,
  location: Location,
  manifest: ResolvedManifest,
  onProgress: (progress: PullProgress) => void,
): Promise<void> {
  const hex = hexOf(manifest.digest);
  await mkdir(cache.scratch, { recursive: true });
  await mkdir(cache.bundles, { recursive: true });
  const copied = await withRegistryAccess(location, '--src-', (options) =>
    runTool(
      tools.skopeo,
      ['copy', ...options, `docker://${location.name}@${manifest.digest}`, `oci:${cache.layout}:${hex}`],
      layerProgress(manifest, onProgress),
    ),
  );
  if (copied.code !== 0) throw new PullFailure(describePullFailure(copied.stderr));
  onProgress({ phase: 'unpacking', digest: manifest.digest });
  const unpacking = path.join(cache.scratch, `${hex}-${randomUUID()}`);
  try {
    const unpacked = await runTool(tools.umoci, [
      'unpack',
      '--rootless',
      '--image',
      `${cache.layout}:${hex}`,
      unpacking,
    ]);
    if (unpacked.code !== 0) throw new PullFailure(`unpacking failed: ${describePullFailure(unpacked.stderr)}`);
    await rename(unpacking, path.join(cache.bundles, hex));
  } finally {
    await rm(unpacking, { recursive: true, force: true });
  }
}
