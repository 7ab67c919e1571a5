// Resolves a reference to the digest of the one manifest this host runs: fetches the manifest with skopeo,
// checks it against a pinned digest, and picks this platform's entry from a multi-platform index.
import { createHash } from 'node:crypto';
import { describePullFailure } from './pull-errors.ts';
import { withRegistryAccess, type Location } from './registry-access.ts';
import { runTool } from './run-tool.ts';

export interface Layer {
  digest: string;
  size: number;
}

export interface ResolvedManifest {
  /** The digest of the image manifest that is pulled and run. */
  digest: string;
  /** The digest the reference named or resolved to when that was a multi-platform index. */
  indexDigest?: string;
  layers: Layer[];
}

/** A failure to resolve or pull that retrying may cure (the registry may come back, a push may follow). */
export class PullFailure extends Error {}

const indexTypes = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

const goArchitectures: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le' };

const sha256 = (bytes: string) => `sha256:${createHash('sha256').update(bytes, 'utf8').digest('hex')}`;

interface RawManifest {
  mediaType?: string;
  manifests?: Array<{ digest: string; platform?: { os?: string; architecture?: string } }>;
  layers?: Layer[];
}

async function fetchManifest(skopeo: string, location: Location, reference: string): Promise<string> {
  const result = await withRegistryAccess(location, '--', (options) =>
    runTool(skopeo, ['inspect', '--raw', ...options, `docker://${reference}`]),
  );
  if (result.code !== 0) throw new PullFailure(describePullFailure(result.stderr));
  return result.stdout;
}

export async function resolveManifest(
  skopeo: string,
  location: Location,
  tagOrDigest: string,
): Promise<ResolvedManifest> {
  const separator = tagOrDigest.startsWith('sha256:') ? '@' : ':';
  const raw = await fetchManifest(skopeo, location, `${location.name}${separator}${tagOrDigest}`);
  const digest = sha256(raw);
  if (separator === '@' && digest !== tagOrDigest)
    throw new PullFailure(`the registry sent a manifest whose digest is ${digest}, not the pinned ${tagOrDigest}`);
  const manifest = JSON.parse(raw) as RawManifest;
  const isIndex = indexTypes.has(manifest.mediaType ?? '') || (manifest.manifests && !manifest.layers);
  if (!isIndex) return { digest, layers: manifest.layers ?? [] };
  const architecture = goArchitectures[process.arch] ?? process.arch;
  const entry = manifest.manifests?.find(
    (candidate) => candidate.platform?.os === 'linux' && candidate.platform.architecture === architecture,
  );
  if (!entry) throw new PullFailure(`the image has no linux/${architecture} variant`);
  const child = await resolveManifest(skopeo, location, entry.digest);
  return { ...child, indexDigest: digest };
}
