// Keeps the image cache within its size budget: drops the least recently used bundles no resource holds,
// untags them in the OCI layout and lets umoci collect the blobs nothing references any more.
import { existsSync } from 'node:fs';
import { lstat, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CacheLayout, Tools } from './pull.ts';
import { runTool } from './run-tool.ts';

/** Bytes on disk under `dir`, by allocated blocks. */
export async function diskUsage(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes = await Promise.all(
    entries.map(async (entry) => (await lstat(path.join(entry.parentPath, entry.name))).blocks * 512),
  );
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** `held`: the bundles (by digest hex) that must stay, those in use and the one just made. */
export async function pruneCache(
  tools: Tools,
  cacheDir: string,
  cache: CacheLayout,
  maxBytes: number,
  held: Set<string>,
): Promise<string[]> {
  const pruned: string[] = [];
  if ((await diskUsage(cacheDir)) <= maxBytes) return pruned;
  const names = (await readdir(cache.bundles)).filter((hex) => !held.has(hex));
  const used = await Promise.all(
    names.map(async (hex) => ({ hex, at: (await stat(path.join(cache.bundles, hex))).mtimeMs })),
  );
  for (const { hex } of used.sort((a, b) => a.at - b.at)) {
    await rm(path.join(cache.bundles, hex), { recursive: true, force: true });
    await runTool(tools.umoci, ['rm', '--image', `${cache.layout}:${hex}`]);
    await runTool(tools.umoci, ['gc', '--layout', cache.layout]);
    pruned.push(hex);
    if ((await diskUsage(cacheDir)) <= maxBytes) break;
  }
  return pruned;
}
