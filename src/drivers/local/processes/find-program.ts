// Finds a program on the PATH, for the optional helpers (prlimit, bwrap, podman) used when present.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const isExecutable = (candidate: string): boolean => {
  try {
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where each program was last found, per PATH: a launch asks for the same helper every time (searching the PATH
 * was ~3% of the server's time under a load of jobs). A hit is checked again with one access(), so a program
 * removed since is searched for anew; a program not found is never remembered, so one installed later is found.
 */
const found = new Map<string, string>();

export const findProgram = (name: string, searchPath = process.env.PATH ?? '/usr/bin:/bin'): string | undefined => {
  const key = `${searchPath}\u0000${name}`;
  const known = found.get(key);
  if (known !== undefined && isExecutable(known)) return known;
  found.delete(key);
  const located = searchPath
    .split(':')
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
  if (located !== undefined) found.set(key, located);
  return located;
};
