// Turns a job spec into a batch script and the sbatch options that size and place it.
import type { Static } from '@sinclair/typebox';
import { join } from 'node:path';
import type { jobKind } from '../../resources/kinds/job.ts';
import { PermanentDriverError } from '../driver.ts';

export type JobSpec = Static<typeof jobKind.spec>;

export const slurmJobName = (jobId: string): string => `cloudplane-${jobId}`;

const shellQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** What this host cannot run; thrown before anything is submitted. */
export function checkRunnable(spec: JobSpec): void {
  if (spec.image !== undefined) {
    throw new PermanentDriverError(
      `the slurm driver runs commands on the cluster's nodes and has no container runtime: image ${spec.image} cannot run; give a cmd without an image`,
    );
  }
  if (spec.artifacts.length > 0) {
    throw new PermanentDriverError('the slurm driver does not fetch artifacts; pass the files as inputs instead');
  }
}

/**
 * The script runs `cmd args` as shell text, under `env` because names like `a.b` are valid job
 * variables but not valid for bash `export`; an mpi job starts one rank per node through srun.
 */
export function batchScript(jobId: string, spec: JobSpec): string {
  const commandLine = [spec.cmd, spec.args].filter((part) => part !== undefined && part !== '').join(' ');
  const launcher = spec.type === 'mpi' ? 'srun ' : '';
  const environment = spec.env.map((pair) => `${shellQuote(pair)} `).join('');
  return [
    '#!/bin/bash',
    `# cloudplane job ${jobId}`,
    `exec env ${environment}${launcher}bash -c ${shellQuote(commandLine)}`,
    '',
  ].join('\n');
}

/** Where Slurm writes each instance's stdout and stderr (`%a` is the array index). */
export function logPaths(dir: string, spec: JobSpec): { stdout: string; stderr: string } {
  const suffix = spec.instances > 1 ? '.%a' : '';
  return { stdout: join(dir, `stdout${suffix}`), stderr: join(dir, `stderr${suffix}`) };
}

/** Disk is not passed: --tmp is checked against the node's TmpDisk, which clusters rarely declare. */
export function sbatchArguments(jobId: string, spec: JobSpec, dir: string, partition: string | undefined): string[] {
  const logs = logPaths(dir, spec);
  const args = [
    `--job-name=${slurmJobName(jobId)}`,
    `--nodes=${spec.nodes}`,
    '--ntasks-per-node=1',
    `--cpus-per-task=${spec.cpus}`,
    `--mem=${spec.memory}G`,
    `--chdir=${dir}`,
    `--output=${logs.stdout}`,
    `--error=${logs.stderr}`,
  ];
  if (spec.runtime !== undefined) args.push(`--time=${spec.runtime}`);
  if (spec.instances > 1)
    args.push(`--array=0-${spec.instances - 1}${spec.parallelism === undefined ? '' : `%${spec.parallelism}`}`);
  if (partition !== undefined) args.push(`--partition=${partition}`);
  return args;
}
