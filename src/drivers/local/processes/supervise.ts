// The supervisor program: run detached as `node supervise.ts <record dir>`, it runs one command to its
// end, enforces its timeout, and writes the exit record, whatever happens to the server that started it.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { filesIn } from './paths.ts';
import { processStartTime, signalGroup } from './proc.ts';
import { readJson, writeJsonAtomic } from './records.ts';
import type { ExitRecord, SpecRecord } from './records.ts';

/** How long a command gets between SIGTERM and SIGKILL when its runtime is over. */
const timeoutGraceMs = 5000;

const files = filesIn(process.argv[2]);
const spec = readJson<SpecRecord>(files.spec);
if (!spec) throw new Error(`no spec in ${files.dir}`);

let timedOut = false;

const finish = (exit: Omit<ExitRecord, 'finishedAt'>): void => {
  writeJsonAtomic(files.exit, { ...exit, finishedAt: new Date().toISOString() });
  if (spec.cgroupDir) {
    try {
      rmdirSync(spec.cgroupDir);
    } catch {
      // A cgroup that still holds a leftover process cannot be removed; the kernel keeps it harmlessly.
    }
  }
  process.exit(0);
};

for (const file of [spec.stdoutPath, spec.stderrPath]) mkdirSync(path.dirname(file), { recursive: true });

const child = spawn(spec.command[0], spec.command.slice(1), {
  cwd: spec.cwd,
  env: spec.env,
  detached: true,
  stdio: ['ignore', openSync(spec.stdoutPath, 'a'), openSync(spec.stderrPath, 'a')],
});

child.on('error', (error) => {
  appendFileSync(spec.stderrPath, `cloudplane: cannot start ${spec.command[0]}: ${error.message}\n`);
  finish({ exitCode: 127, signal: null, reason: 'exited' });
});

if (child.pid !== undefined) {
  const pid = child.pid;
  // Read now, before the event loop can reap it: even a command that exits at once is still a zombie here.
  writeJsonAtomic(files.child, { pid, startTime: processStartTime(pid) ?? '' });
  if (existsSync(files.stopRequest)) signalGroup(pid, 'SIGKILL');

  if (spec.timeoutSeconds !== undefined) {
    setTimeout(() => {
      timedOut = true;
      signalGroup(pid, 'SIGTERM');
      signalGroup(pid, 'SIGCONT');
      setTimeout(() => signalGroup(pid, 'SIGKILL'), timeoutGraceMs).unref();
    }, spec.timeoutSeconds * 1000).unref();
  }

  child.on('exit', (exitCode, signal) => {
    // A job ends with its main process: whatever it left running in its group would escape supervision.
    signalGroup(pid, 'SIGKILL');
    const reason = timedOut ? 'timeout' : existsSync(files.stopRequest) ? 'killed' : 'exited';
    finish({ exitCode, signal, reason });
  });
}
