// A service's runtime directory: a short path for its sockets, since a Unix socket's path may not exceed 107
// bytes and the service's own directory under the state directory can be far deeper than that.
import { lstat, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermanentDriverError } from '../driver.ts';

/** One per service, named by its id so that every process (and a restarted server) finds the same one. */
export const runtimeDirOf = (resourceId: string): string => path.join(tmpdir(), `cloudplane-${resourceId}`);

/**
 * Creates the directory readable by this user only. Its name is predictable in a shared folder, so one that is
 * already there is used only if it is a real directory of this user's that no one else may enter.
 */
export async function makeRuntimeDir(dir: string): Promise<void> {
  await mkdir(dir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const found = await lstat(dir);
  const ours = found.isDirectory() && found.uid === process.getuid?.() && (found.mode & 0o077) === 0;
  if (!ours)
    throw new PermanentDriverError(`${dir} exists and is not a directory of this user's alone: remove it and retry`);
}

export const removeRuntimeDir = (resourceId: string): Promise<void> =>
  rm(runtimeDirOf(resourceId), { recursive: true, force: true });
