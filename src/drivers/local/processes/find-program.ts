// Finds a program on the PATH, for the optional helpers (prlimit, bwrap, podman) used when present.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const findProgram = (name: string, searchPath = process.env.PATH ?? '/usr/bin:/bin'): string | undefined =>
  searchPath
    .split(':')
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
