// outputs: download a job's declared output (a file as it is, a directory as a tar archive), showing progress.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { segment } from '../client.ts';
import { startDownloadProgress } from '../download-progress.ts';
import { UsageError } from '../errors.ts';
import { resourcePath } from '../resource.ts';
import { action, type Session } from '../session.ts';

/** Never overwritten: an existing file may be another run's. */
function createNew(path: string): number {
  try {
    return openSync(path, 'wx', 0o644);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new UsageError(
      code === 'EEXIST'
        ? `${path} already exists and is never overwritten: remove it or choose another --out`
        : `cannot write ${path}: ${message}`,
    );
  }
}

async function outputs(session: Session, team: string, id: string, output: string, options: { out?: string }) {
  const path = `${resourcePath(team, id)}/outputs/${output.split('/').map(segment).join('/')}`;
  const download = await session.api.download(path);
  const toStdout = options.out === '-';
  // A directory comes as `<name>.tar`, as the server names it.
  const target = options.out ?? download.filename ?? basename(output);
  let fd: number;
  try {
    fd = toStdout ? 1 : createNew(target);
  } catch (error) {
    await download.body.cancel();
    throw error;
  }
  const progress = startDownloadProgress(output, download.size);
  try {
    for await (const chunk of download.body) {
      writeSync(fd, chunk);
      progress.add(chunk.length);
    }
    progress.done(toStdout ? 'standard output' : target);
  } catch (error) {
    progress.stop();
    if (!toStdout) rmSync(target, { force: true });
    throw error;
  } finally {
    if (!toStdout) closeSync(fd);
  }
}

export function registerOutputs(program: Command): void {
  program
    .command('outputs')
    .description("download a job's output file (a directory comes as a tar archive)")
    .argument('<team>')
    .argument('<id>')
    .argument('<output>', 'a path the job declared in outputFiles or outputDirs')
    .option('--out <file>', 'where to write it (default: its name here; - for standard output); never overwritten')
    .action(action(outputs));
}
