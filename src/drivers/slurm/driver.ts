// The slurm driver: runs job resources as Slurm batch jobs; every other kind belongs to other drivers.
import { join } from 'node:path';
import type { Driver } from '../driver.ts';
import { createSlurmJobDriver } from './job-driver.ts';
import type { SlurmJobDriver, SlurmJobDriverOptions } from './job-driver.ts';

export interface SlurmDriverOptions extends Omit<SlurmJobDriverOptions, 'workRoot'> {
  /** Defaults to `<host.stateDir>/slurm-jobs`. */
  workRoot?: string;
}

export function createSlurmDriver(options: SlurmDriverOptions = {}): Driver {
  let jobs: SlurmJobDriver | undefined;
  return {
    name: 'slurm',
    forKind: (kind) => (kind === 'job' ? jobs : undefined),
    async start(host) {
      jobs = createSlurmJobDriver(host, {
        ...options,
        workRoot: options.workRoot ?? join(host.stateDir, 'slurm-jobs'),
      });
    },
    async stop() {
      jobs?.close();
      jobs = undefined;
    },
  };
}
