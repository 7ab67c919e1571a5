// How skopeo reaches a registry: the mirrors to try before it, TLS or plain HTTP, and credentials handed over
// in an auth file of mode 0600 in a private temp dir that exists only while skopeo runs, so they reach no log,
// no argv and no file that outlives the pull.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageReference } from './reference.ts';

export interface RegistrySettings {
  /** Registries (host[:port][/path]) tried in this order before the registry itself; none by default. */
  mirrors?: string[];
  /** Plain HTTP or unverified TLS: for a registry on this host or a test network only. */
  insecure?: boolean;
  username?: string;
  password?: string;
}

export type Registries = Record<string, RegistrySettings>;

/** One place an image may be pulled from: a mirror or its own registry. */
export interface Location {
  /** The image's name there, without tag or digest: `mirror.example/dockerhub/library/alpine`. */
  name: string;
  host: string;
  settings: RegistrySettings;
}

const noSettings: RegistrySettings = {};

export const locationsOf = (reference: ImageReference, registries: Registries): Location[] => {
  const own = registries[reference.registry] ?? noSettings;
  return [...(own.mirrors ?? []), reference.registry].map((prefix) => {
    const host = prefix.split('/')[0];
    return { name: `${prefix}/${reference.repository}`, host, settings: registries[host] ?? noSettings };
  });
};

/**
 * Runs `work` with the skopeo options that reach `location` for reading; `flag` is the option prefix of the
 * command (`--src-` for copy, `--` for inspect).
 */
export async function withRegistryAccess<T>(
  location: Location,
  flag: '--' | '--src-',
  work: (options: string[]) => Promise<T>,
): Promise<T> {
  const tls = `${flag}tls-verify=${location.settings.insecure !== true}`;
  const { username, password } = location.settings;
  if (username === undefined || password === undefined) return work([tls, `${flag}no-creds`]);
  const dir = await mkdtemp(path.join(tmpdir(), 'cloudplane-registry-auth-'));
  try {
    const authFile = path.join(dir, 'auth.json');
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    await writeFile(authFile, JSON.stringify({ auths: { [location.host]: { auth } } }), { mode: 0o600 });
    return await work([tls, `${flag}authfile`, authFile]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
