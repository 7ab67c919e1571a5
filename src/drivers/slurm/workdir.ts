// A job's working directory: its inputs, batch script and logs, and the records that outlive Slurm's memory.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Observation } from '../driver.ts';

export interface JobFiles {
  /** The job's current directory: inputs go in, outputs and logs come out. */
  dir: string;
  script: string;
  /** The Slurm job id, written right after submitting: its presence means "submitted once". */
  slurmJobId: string;
  /** The final observation, kept because Slurm forgets finished jobs after MinJobAge. */
  final: string;
  /** Written before submitting: the last superseded Slurm job id, so a lost submit can be found by name. */
  submitting: string;
}

export function jobFiles(workRoot: string, jobId: string): JobFiles {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(jobId))
    throw new Error(`job id ${JSON.stringify(jobId)} cannot name a directory`);
  const dir = join(workRoot, jobId);
  // Kept in a dot directory so the job's own files keep every plain name.
  const own = join(dir, '.cloudplane');
  return {
    dir,
    script: join(own, 'job.sh'),
    slurmJobId: join(own, 'slurm-job-id'),
    final: join(own, 'final.json'),
    submitting: join(own, 'submitting.json'),
  };
}

/** Creates the directory and writes the base64 inputs into it. */
export async function prepareWorkDir(
  files: JobFiles,
  inputs: { filename: string; content: string }[],
  script: string,
): Promise<void> {
  await mkdir(dirname(files.script), { recursive: true });
  for (const input of inputs) {
    const path = resolve(files.dir, input.filename);
    const inside = relative(files.dir, path);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
      throw new Error(`input ${input.filename} leaves the working directory`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(input.content, 'base64'));
  }
  await writeFile(files.script, script, { mode: 0o755 });
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function readSlurmJobId(files: JobFiles): Promise<number | undefined> {
  const text = await readIfPresent(files.slurmJobId);
  return text === undefined ? undefined : Number(text.trim());
}

export async function recordSlurmJobId(files: JobFiles, slurmJobId: number): Promise<void> {
  await mkdir(dirname(files.slurmJobId), { recursive: true });
  await writeFile(files.slurmJobId, `${slurmJobId}\n`);
}

export async function readFinal(files: JobFiles): Promise<Observation | undefined> {
  const text = await readIfPresent(files.final);
  return text === undefined ? undefined : (JSON.parse(text) as Observation);
}

export const recordFinal = (files: JobFiles, observation: Observation): Promise<void> =>
  writeFile(files.final, JSON.stringify(observation));

/** The Slurm job ids at or below this one belong to earlier runs; 0 when this is the first. */
export async function readSupersededBelow(files: JobFiles): Promise<number | undefined> {
  const text = await readIfPresent(files.submitting);
  return text === undefined ? undefined : (JSON.parse(text) as { after: number }).after;
}

export const recordSubmitting = (files: JobFiles, after: number): Promise<void> =>
  writeFile(files.submitting, JSON.stringify({ after }));

/** Forgets the current run so the next apply submits again (restart). */
export async function clearRun(files: JobFiles): Promise<void> {
  await rm(files.slurmJobId, { force: true });
  await rm(files.final, { force: true });
}

export const removeWorkDir = (files: JobFiles): Promise<void> => rm(files.dir, { recursive: true, force: true });
