// The launcher's program as one plain JavaScript file. The launcher forks every command on the host, and a fork
// costs in proportion to the memory of the process that forks: run from its .ts sources, node would load its type
// stripper into the launcher too (about 12 MB of heap it never needs again); bundled ahead, it never does.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeFileAtomic } from './records.ts';

const launcherSource = fileURLToPath(new URL('./launcher.ts', import.meta.url));

/** Built once per server process, from the sources it runs. */
let bundled: Promise<string> | undefined;

const bundleLauncher = async (): Promise<string> => {
  const result = await build({
    entryPoints: [launcherSource],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
};

/**
 * Writes the bundle into the state directory (a name adoption skips, as it starts with '.') and returns its path;
 * atomically, so a server sharing the directory never starts half a file.
 */
export const launcherProgram = async (stateDir: string): Promise<string> => {
  // A build that failed is tried again by the next launcher start.
  const text = await (bundled ??= bundleLauncher().catch((error: unknown) => {
    bundled = undefined;
    throw error;
  }));
  mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, '.launcher.mjs');
  writeFileAtomic(file, text);
  return file;
};
