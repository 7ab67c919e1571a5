// The local process supervisor: real detached processes, their exits, limits, stops, and adoption after a crash.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProcessSupervisor } from '../../src/drivers/local/processes/process-supervisor.ts';
import { recordPaths } from '../../src/drivers/local/processes/paths.ts';
import { readStatus } from '../../src/drivers/local/processes/status.ts';
import type { ProcessStatus, ProcessSupervisor } from '../../src/drivers/local/processes/supervisor.ts';

const root = mkdtempSync(path.join(tmpdir(), 'cloudplane-supervisor-'));
const supervisors: ProcessSupervisor[] = [];
const env = { PATH: '/usr/local/bin:/usr/bin:/bin' };

const fresh = (): { stateDir: string; workDir: string; supervisor: ProcessSupervisor } => {
  const dir = mkdtempSync(path.join(root, 'case-'));
  const supervisor = createProcessSupervisor(path.join(dir, 'state'));
  supervisors.push(supervisor);
  return { stateDir: path.join(dir, 'state'), workDir: dir, supervisor };
};

after(async () => {
  for (const supervisor of supervisors) {
    for (const status of await supervisor.adoptAll()) await supervisor.stop(status.key, 100);
    await supervisor.close();
  }
  rmSync(root, { recursive: true, force: true });
});

/** Resolves with the key's exit report, or fails the test after `ms`. */
const exitOf = (supervisor: ProcessSupervisor, key: string, ms = 20000): Promise<ProcessStatus> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit reported for ${key} within ${ms} ms`)), ms);
    supervisor.onExit((status) => {
      if (status.key !== key) return;
      clearTimeout(timer);
      resolve(status);
    });
  });

const until = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 15000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
};

const stateOf = async (supervisor: ProcessSupervisor, key: string, state: ProcessStatus['state']) =>
  until(`${key} to be ${state}`, async () => {
    const status = await supervisor.status(key);
    return status?.state === state ? status : undefined;
  });

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a launched command runs detached, writes its output, and its exit code is reported', async () => {
  const { supervisor, workDir } = fresh();
  const exited = exitOf(supervisor, 'job-1/i0');
  const launched = await supervisor.launch({
    key: 'job-1/i0',
    command: ['/bin/sh', '-c', 'echo "hello $GREETING"; echo oops >&2; exit 3'],
    cwd: workDir,
    env: { ...env, GREETING: 'world' },
  });
  assert.equal(launched.key, 'job-1/i0');
  const status = await exited;
  assert.deepEqual([status.state, status.exitCode, status.reason, status.signal], ['exited', 3, 'exited', null]);
  assert.equal(readFileSync(status.stdoutPath, 'utf8'), 'hello world\n');
  assert.equal(readFileSync(status.stderrPath, 'utf8'), 'oops\n');
  assert.ok(status.finishedAt);
  assert.deepEqual(await supervisor.status('job-1/i0'), status);
});

test('a command that cannot be started exits with 127 and says why on stderr', async () => {
  const { supervisor, workDir } = fresh();
  const exited = exitOf(supervisor, 'missing');
  await supervisor.launch({ key: 'missing', command: ['/no/such/program'], cwd: workDir, env });
  const status = await exited;
  assert.equal(status.exitCode, 127);
  assert.match(readFileSync(status.stderrPath, 'utf8'), /cannot start \/no\/such\/program/);
});

test('launching a known key again starts nothing and returns its status', async () => {
  const { supervisor, workDir } = fresh();
  const marks = path.join(workDir, 'marks');
  const spec = { key: 'once', command: ['/bin/sh', '-c', `echo started >> ${marks}; sleep 0.3`], cwd: workDir, env };
  const exited = exitOf(supervisor, 'once');
  const [first, second] = await Promise.all([supervisor.launch(spec), supervisor.launch(spec)]);
  assert.equal(first.pid, second.pid);
  await exited;
  const third = await supervisor.launch(spec);
  assert.equal(third.state, 'exited');
  assert.equal(readFileSync(marks, 'utf8'), 'started\n');
});

test('a command running past its timeout is terminated and reported as a timeout', async () => {
  const { supervisor, workDir } = fresh();
  const exited = exitOf(supervisor, 'slow');
  await supervisor.launch({ key: 'slow', command: ['sleep', '60'], cwd: workDir, env, timeoutSeconds: 1 });
  const status = await exited;
  assert.equal(status.reason, 'timeout');
  assert.equal(status.signal, 'SIGTERM');
});

test('pause stops the whole process group and resume lets it run on', async () => {
  const { supervisor, workDir } = fresh();
  const launched = await supervisor.launch({ key: 'pausable', command: ['sleep', '60'], cwd: workDir, env });
  await supervisor.pause('pausable');
  assert.equal((await stateOf(supervisor, 'pausable', 'stopped')).pid, launched.pid);
  await supervisor.resume('pausable');
  await stateOf(supervisor, 'pausable', 'running');
  const stopped = await supervisor.stop('pausable', 2000);
  assert.equal(stopped?.reason, 'killed');
});

test('stop terminates a paused process, and kills one that ignores SIGTERM after the grace period', async () => {
  const { supervisor, workDir } = fresh();
  await supervisor.launch({ key: 'paused', command: ['sleep', '60'], cwd: workDir, env });
  await supervisor.pause('paused');
  const paused = await supervisor.stop('paused', 5000);
  assert.deepEqual([paused?.state, paused?.reason, paused?.signal], ['exited', 'killed', 'SIGTERM']);

  const ignoring = path.join(workDir, 'ignoring');
  const stubborn = await supervisor.launch({
    key: 'stubborn',
    command: ['/bin/sh', '-c', `trap "" TERM; touch ${ignoring}; sleep 60`],
    cwd: workDir,
    env,
  });
  // launch resolves once the shell runs, maybe before it set its trap.
  await until('the command to ignore SIGTERM', () => (existsSync(ignoring) ? true : undefined));
  const stopped = await supervisor.stop('stubborn', 300);
  assert.deepEqual([stopped?.state, stopped?.reason, stopped?.signal], ['exited', 'killed', 'SIGKILL']);
  assert.equal(isRunning(stubborn.pid!), false);
});

test('a stop asked for before the command had a pid kills it as soon as it is forked', async () => {
  // Another server's stop that found no pid to signal leaves only its request; the launcher must act on it.
  const { supervisor, stateDir, workDir } = fresh();
  const files = recordPaths(stateDir, 'early');
  mkdirSync(files.dir, { recursive: true });
  writeFileSync(files.stopRequest, JSON.stringify({ requestedAt: new Date().toISOString() }));
  const exited = exitOf(supervisor, 'early');
  await supervisor.launch({ key: 'early', command: ['sleep', '60'], cwd: workDir, env });
  const status = await exited;
  assert.deepEqual([status.state, status.reason, status.signal], ['exited', 'killed', 'SIGKILL']);
});

test('a memory limit is applied with an rlimit where cgroup v2 is not writable, and cpus are left unenforced then', async () => {
  const { supervisor, workDir } = fresh();
  const exited = exitOf(supervisor, 'limited');
  const launched = await supervisor.launch({
    key: 'limited',
    command: ['/bin/sh', '-c', 'ulimit -v'],
    cwd: workDir,
    env,
    limits: { memoryBytes: 512 * 1024 * 1024, cpus: 1 },
  });
  const status = await exited;
  const output = readFileSync(status.stdoutPath, 'utf8').trim();
  if (launched.enforcement.method === 'rlimit') {
    assert.deepEqual(launched.enforcement, { method: 'rlimit', memoryBytes: 512 * 1024 * 1024 });
    assert.equal(output, String(512 * 1024));
  } else {
    assert.equal(launched.enforcement.method, 'cgroup-v2');
    assert.equal(launched.enforcement.memoryBytes, 512 * 1024 * 1024);
  }
});

const parentOf = (pid: number): number =>
  Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

test('every command is forked by one launcher, never by the server, and the launcher leaves once they ended', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const release = path.join(workDir, 'release');
  const wait = ['/bin/sh', '-c', `while [ ! -e ${release} ]; do sleep 0.05; done`];
  const first = await supervisor.launch({ key: 'first', command: wait, cwd: workDir, env });
  const second = await supervisor.launch({ key: 'second', command: wait, cwd: workDir, env });
  const launcher = JSON.parse(readFileSync(recordPaths(stateDir, 'first').supervisor, 'utf8')).pid as number;
  assert.notEqual(launcher, process.pid);
  assert.deepEqual([parentOf(first.pid!), parentOf(second.pid!)], [launcher, launcher]);

  await supervisor.close();
  assert.ok(isRunning(launcher), 'the launcher stays while its commands run');
  writeFileSync(release, '');
  await until('the launcher to leave', () => (isRunning(launcher) ? undefined : true));
  // It recorded both ends before leaving, with no server listening.
  for (const key of ['first', 'second'])
    assert.deepEqual([readStatus(stateDir, key)?.reason, readStatus(stateDir, key)?.exitCode], ['exited', 0]);
});

test('a process outlives the kill -9 of the server that launched it and is adopted once, exit and all', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const marks = path.join(workDir, 'marks');
  const release = path.join(workDir, 'release');
  const module = new URL('../../src/drivers/local/processes/process-supervisor.ts', import.meta.url).href;
  const script = `
    import { createProcessSupervisor } from ${JSON.stringify(module)};
    const supervisor = createProcessSupervisor(${JSON.stringify(stateDir)});
    const status = await supervisor.launch({
      key: 'survivor',
      command: ['/bin/sh', '-c', 'echo started >> ${marks}; while [ ! -e ${release} ]; do sleep 0.05; done'],
      cwd: ${JSON.stringify(workDir)},
      env: { PATH: '/usr/bin:/bin' },
    });
    console.log(JSON.stringify(status));
    setInterval(() => {}, 1000);
  `;
  const server = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    server.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
    server.once('exit', (code) => reject(new Error(`the launching server exited early (${code})`)));
  });
  const launched = JSON.parse(line) as ProcessStatus;
  const serverGone = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGKILL');
  await serverGone;

  const adopted = await supervisor.adoptAll();
  assert.equal(adopted.length, 1);
  assert.deepEqual([adopted[0].key, adopted[0].state, adopted[0].pid], ['survivor', 'running', launched.pid]);
  const exited = exitOf(supervisor, 'survivor');
  writeFileSync(release, '');
  const status = await exited;
  assert.deepEqual([status.exitCode, status.reason], [0, 'exited']);
  assert.equal(readFileSync(marks, 'utf8'), 'started\n');
  assert.equal((await supervisor.launch({ key: 'survivor', command: ['false'], cwd: workDir, env })).exitCode, 0);
});

test('a process whose supervisor died is still followed while it runs, and reported lost when it ends', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const release = path.join(workDir, 'release');
  const launched = await supervisor.launch({
    key: 'orphan',
    command: ['/bin/sh', '-c', `while [ ! -e ${release} ]; do sleep 0.05; done`],
    cwd: workDir,
    env,
  });
  const supervisorRecord = JSON.parse(readFileSync(recordPaths(stateDir, 'orphan').supervisor, 'utf8'));
  process.kill(supervisorRecord.pid, 'SIGKILL');
  await until('the supervisor to die', () => (isRunning(supervisorRecord.pid) ? undefined : true));

  const later = createProcessSupervisor(stateDir);
  supervisors.push(later);
  const [adopted] = await later.adoptAll();
  assert.deepEqual([adopted.state, adopted.pid], ['running', launched.pid]);
  const exited = exitOf(later, 'orphan');
  writeFileSync(release, '');
  const status = await exited;
  assert.deepEqual([status.state, status.reason, status.exitCode], ['exited', 'lost', null]);
});

test('an exit that happened while no server watched is told once, by the next server that adopts it', async () => {
  const { stateDir, workDir } = fresh();
  const module = new URL('../../src/drivers/local/processes/process-supervisor.ts', import.meta.url).href;
  const script = `
    import { createProcessSupervisor } from ${JSON.stringify(module)};
    const supervisor = createProcessSupervisor(${JSON.stringify(stateDir)});
    await supervisor.launch({ key: 'unwatched', command: ['/bin/sh', '-c', 'exit 6'], cwd: ${JSON.stringify(workDir)}, env: {} });
    process.exit(0);
  `;
  const server = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
  assert.equal(await new Promise((resolve) => server.once('exit', resolve)), 0);
  await until('the exit record', () => (existsSync(recordPaths(stateDir, 'unwatched').exit) ? true : undefined));

  const later = createProcessSupervisor(stateDir);
  supervisors.push(later);
  const exited = exitOf(later, 'unwatched');
  const [adopted] = await later.adoptAll();
  assert.equal(adopted.state, 'exited');
  assert.equal((await exited).exitCode, 6);
  await until('the exit to be marked as told', () =>
    existsSync(recordPaths(stateDir, 'unwatched').exitSeen) ? true : undefined,
  );

  const third = createProcessSupervisor(stateDir);
  supervisors.push(third);
  const told: string[] = [];
  third.onExit((status) => told.push(status.key));
  await third.adoptAll();
  const marker = exitOf(third, 'marker');
  await third.launch({ key: 'marker', command: ['true'], cwd: workDir, env });
  await marker;
  assert.deepEqual(told, ['marker']);
});

test('a recorded pid now used by another process is not mistaken for the recorded one', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const exited = exitOf(supervisor, 'recycled');
  await supervisor.launch({ key: 'recycled', command: ['true'], cwd: workDir, env });
  await exited;
  const files = recordPaths(stateDir, 'recycled');
  // Pretend the supervisor and the command died unrecorded and their pid went to a live process (this one).
  rmSync(files.exit);
  writeFileSync(files.supervisor, JSON.stringify({ pid: process.pid, startTime: '1' }));
  writeFileSync(files.child, JSON.stringify({ pid: process.pid, startTime: '1' }));
  const later = createProcessSupervisor(stateDir);
  supervisors.push(later);
  const [status] = await later.adoptAll();
  assert.deepEqual([status.state, status.reason], ['exited', 'lost']);
  assert.ok(existsSync(files.exit));
});

test('forget removes a finished process, after which its key can be launched anew', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const first = exitOf(supervisor, 'again');
  await supervisor.launch({ key: 'again', command: ['/bin/sh', '-c', 'exit 4'], cwd: workDir, env });
  assert.equal((await first).exitCode, 4);
  await supervisor.forget('again');
  assert.equal(await supervisor.status('again'), undefined);
  assert.equal(existsSync(recordPaths(stateDir, 'again').dir), false);
  const second = exitOf(supervisor, 'again');
  await supervisor.launch({ key: 'again', command: ['/bin/sh', '-c', 'exit 5'], cwd: workDir, env });
  assert.equal((await second).exitCode, 5);
});

test('a server that read a finished process sees it anew once another server forgot it and launched the key again', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const first = exitOf(supervisor, 'shared');
  await supervisor.launch({ key: 'shared', command: ['/bin/sh', '-c', 'exit 4'], cwd: workDir, env });
  assert.equal((await first).exitCode, 4);
  assert.equal((await supervisor.status('shared'))?.exitCode, 4);
  // Another server on this host, sharing the state directory.
  const other = createProcessSupervisor(stateDir);
  supervisors.push(other);
  await other.forget('shared');
  assert.equal(await supervisor.status('shared'), undefined);
  const second = exitOf(other, 'shared');
  await other.launch({ key: 'shared', command: ['/bin/sh', '-c', 'sleep 0.2; exit 5'], cwd: workDir, env });
  assert.equal((await supervisor.status('shared'))?.state, 'running');
  assert.equal((await second).exitCode, 5);
  const seen = await supervisor.status('shared');
  assert.deepEqual([seen?.state, seen?.exitCode], ['exited', 5]);
});

test('the launcher runs from its plain JavaScript bundle, so no type stripper grows the process that forks', async () => {
  const { supervisor, stateDir, workDir } = fresh();
  const exited = exitOf(supervisor, 'bundled/i0');
  await supervisor.launch({ key: 'bundled/i0', command: ['true'], cwd: workDir, env });
  const launcher = JSON.parse(readFileSync(recordPaths(stateDir, 'bundled/i0').supervisor, 'utf8')) as { pid: number };
  const argv = readFileSync(`/proc/${launcher.pid}/cmdline`, 'utf8').split('\0');
  assert.ok(argv.includes(path.join(stateDir, '.launcher.mjs')), argv.join(' '));
  assert.ok(!argv.some((arg) => arg.endsWith('.ts')), argv.join(' '));
  assert.match(readFileSync(path.join(stateDir, '.launcher.mjs'), 'utf8'), /process\.on\("message"/);
  assert.equal((await exited).exitCode, 0);
});
