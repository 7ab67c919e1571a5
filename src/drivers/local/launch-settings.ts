// What every supervised process of the local driver is launched with: a minimal environment and its limits.
import type { LaunchSpec } from './processes/supervisor.ts';

/** The supervisor passes exactly this environment; the server's own may hold database passwords and tokens. */
export const processEnv = (extra: Record<string, string>): Record<string, string> => {
  const inherited = Object.entries({
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME,
    LANG: process.env.LANG,
  });
  return {
    ...Object.fromEntries(inherited.filter((entry): entry is [string, string] => entry[1] !== undefined)),
    ...extra,
  };
};

export const limitsFor = (cpus: number, memoryMiB: number): LaunchSpec['limits'] => ({
  cpus,
  memoryBytes: memoryMiB * 1024 * 1024,
});
