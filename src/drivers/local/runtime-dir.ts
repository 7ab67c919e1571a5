// A service's runtime directory: a short path for its sockets, since a Unix socket's path may not exceed 107
// bytes and the service's own directory under the state directory can be far deeper than that.
import { lstat, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PermanentDriverError } from '../driver.ts';

/** Leaves a socket 16 bytes for its own name (`/mysqld.sock`) within the 107 of a Unix socket path. */
const longestRuntimeDir = 90;

/** The short directory a service whose own is too deep uses, named by its id so every process finds the same one. */
const temporaryRuntimeDir = (resourceId: string) => path.join(tmpdir(), `cloudplane-${resourceId}`);

/** The service's private directory when its path leaves room for a socket's name, else one in the temporary folder. */
export const runtimeDirOf = (privateDir: string, resourceId: string): string =>
  Buffer.byteLength(privateDir) <= longestRuntimeDir ? privateDir : temporaryRuntimeDir(resourceId);

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

/** The private directory goes with the service's own files; a temporary one is removed here. */
export const removeRuntimeDir = (resourceId: string): Promise<void> =>
  rm(temporaryRuntimeDir(resourceId), { recursive: true, force: true });
