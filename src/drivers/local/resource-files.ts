// Where the local driver keeps what it must remember about one resource: a small record and a working directory.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './processes/records.ts';

export interface ResourceFiles {
  dir: string;
  record: string;
  /** The processes' working directory (a service's `{workdir}`); removed with the resource. */
  workdir: string;
}

/** One folder per kind under the local driver's state directory, one per resource inside it. */
export const resourceFiles = (stateDir: string, kind: string, resourceId: string): ResourceFiles => {
  const dir = path.join(stateDir, kind, resourceId);
  return { dir, record: path.join(dir, 'record.json'), workdir: path.join(dir, 'work') };
};

export const readRecord = async <T>(files: ResourceFiles): Promise<T | undefined> => readJson<T>(files.record);

export const writeRecord = async <T>(files: ResourceFiles, record: T): Promise<void> => {
  await mkdir(files.dir, { recursive: true });
  writeJsonAtomic(files.record, record);
};

export const removeResourceFiles = (files: ResourceFiles): Promise<void> =>
  rm(files.dir, { recursive: true, force: true });
