// The local job driver: real jobs in real working directories, their outcomes, instances, ranks, outputs and stops.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { pino } from 'pino';
import { PermanentDriverError } from '../../src/drivers/driver.ts';
import type { DriverHost, DriverResource, Observation } from '../../src/drivers/driver.ts';
import { createLocalJobDriver } from '../../src/drivers/local/job/driver.ts';
import type { LocalJobDriverOptions } from '../../src/drivers/local/job/driver.ts';
import { jobLogPaths, jobOutputPath } from '../../src/drivers/local/job/files.ts';
import { findProgram } from '../../src/drivers/local/processes/find-program.ts';
import { createProcessSupervisor } from '../../src/drivers/local/processes/process-supervisor.ts';
import type { ProcessSupervisor } from '../../src/drivers/local/processes/supervisor.ts';
import { jobKind } from '../../src/resources/kinds/job.ts';

const root = mkdtempSync(path.join(tmpdir(), 'cloudplane-job-'));
const supervisors: ProcessSupervisor[] = [];

after(async () => {
  for (const supervisor of supervisors) {
    for (const status of await supervisor.adoptAll()) await supervisor.stop(status.key, 100);
    await supervisor.close();
  }
  rmSync(root, { recursive: true, force: true });
});

/** A DriverHost that keeps what the driver reports and lets a test wait for it. */
const memoryHost = (stateDir: string) => {
  const reports: Array<{ id: string; observation: Observation }> = [];
  const waiting: Array<() => void> = [];
  const host: DriverHost = {
    stateDir,
    log: pino({ level: 'silent' }),
    async report(id, observation) {
      reports.push({ id, observation });
      waiting.splice(0).forEach((wake) => wake());
    },
    async children() {
      return [];
    },
  };
  const reportFor = (id: string, ms = 30000): Promise<Observation> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no report for ${id} within ${ms} ms`)), ms);
      const check = () => {
        const found = reports.find((report) => report.id === id);
        if (!found) return void waiting.push(check);
        clearTimeout(timer);
        resolve(found.observation);
      };
      check();
    });
  return { host, reports, reportFor };
};

const setup = (options: Partial<LocalJobDriverOptions> = {}) => {
  const dir = mkdtempSync(path.join(root, 'case-'));
  const stateDir = path.join(dir, 'state');
  const workRoot = path.join(dir, 'jobs');
  const supervisor = createProcessSupervisor(path.join(stateDir, 'processes'));
  supervisors.push(supervisor);
  const memory = memoryHost(stateDir);
  const driver = createLocalJobDriver(memory.host, supervisor, { workRoot, stopGraceMs: 2000, ...options });
  return { ...memory, dir, stateDir, workRoot, supervisor, driver };
};

let counter = 0;
/** A job resource as the engine hands it over: spec validated and defaulted by the job kind. */
const job = (spec: Record<string, unknown>): DriverResource => {
  const defaulted = Value.Default(jobKind.spec, structuredClone(spec)) as Record<string, unknown>;
  assert.ok(Value.Check(jobKind.spec, defaulted), 'the test spec must be a valid job spec');
  counter += 1;
  return {
    id: `job-${counter}`,
    teamId: 't',
    kind: 'job',
    name: `job-${counter}`,
    generation: 1,
    spec: defaulted,
    labels: {},
    parentId: null,
    state: 'provisioning',
    details: {},
  };
};

const base64 = (text: string) => Buffer.from(text).toString('base64');
const read = (file: string) => readFileSync(file, 'utf8');

test('a job whose command exits 0 is active after apply and reported succeeded; applying again starts nothing', async () => {
  const { driver, reportFor, workRoot } = setup();
  const resource = job({
    cmd: '/bin/sh',
    args: `-c 'echo ran >> ../../marks; while [ ! -e ../../release ]; do sleep 0.05; done'`,
  });
  const applied = await driver.apply(resource);
  assert.equal(applied.state, 'active');
  assert.equal((await driver.apply(resource)).state, 'active');
  writeFileSync(path.join(workRoot, 'release'), '');
  const report = await reportFor(resource.id);
  assert.equal(report.state, 'succeeded');
  assert.match(report.message, /exited with code 0/);
  assert.equal(read(path.join(workRoot, 'marks')), 'ran\n');
  assert.equal((await driver.observe(resource)).state, 'succeeded');
});

test('a job whose command exits non-zero is reported failed with the instance and the exit code', async () => {
  const { driver, reportFor } = setup();
  const resource = job({ cmd: '/bin/sh', args: `-c 'exit 3'` });
  await driver.apply(resource);
  const report = await reportFor(resource.id);
  assert.equal(report.state, 'failed');
  assert.equal(report.message, 'instance 0 exited with code 3');
});

test('inputs are written into the working directory, where the command reads them', async () => {
  const { driver, reportFor, workRoot } = setup();
  const resource = job({
    cmd: 'cat',
    args: 'data/in.txt',
    inputs: [{ filename: 'data/in.txt', content: base64('hello input\n') }],
  });
  await driver.apply(resource);
  assert.equal((await reportFor(resource.id)).state, 'succeeded');
  const [logs] = await jobLogPaths(workRoot, resource.id);
  assert.equal(logs.task, 'i0');
  assert.equal(read(logs.stdout), 'hello input\n');
});

test('args are split like a shell would split them, without any expansion', async () => {
  const { driver, reportFor, workRoot } = setup();
  const resource = job({ cmd: 'printf', args: `'%s|' "a b" c\\ d '$HOME' "x\\"y" *` });
  await driver.apply(resource);
  assert.equal((await reportFor(resource.id)).state, 'succeeded');
  const [logs] = await jobLogPaths(workRoot, resource.id);
  assert.equal(read(logs.stdout), 'a b|c d|$HOME|x"y|*|');
});

test('env entries reach the command, with the instance index and count', async () => {
  const { driver, reportFor, workRoot } = setup();
  const resource = job({
    cmd: '/bin/sh',
    args: `-c 'echo "$GREETING $CLOUDPLANE_INSTANCE_INDEX/$CLOUDPLANE_INSTANCE_COUNT $HOME" > out.txt'`,
    env: ['GREETING=hi there'],
    outputFiles: ['out.txt'],
  });
  await driver.apply(resource);
  assert.equal((await reportFor(resource.id)).state, 'succeeded');
  const output = jobOutputPath(workRoot, resource.id, 'out.txt');
  assert.ok(output);
  assert.equal(read(output), `hi there 0/1 ${path.join(workRoot, resource.id, 'work')}\n`);
});

test('a job running past its runtime is killed and reported failed for exceeding it', async () => {
  const { driver, reportFor } = setup({ secondsPerMinute: 1 });
  const resource = job({ cmd: 'sleep', args: '60', runtime: 1 });
  await driver.apply(resource);
  const report = await reportFor(resource.id);
  assert.equal(report.state, 'failed');
  assert.equal(report.message, 'instance 0: runtime limit of 1 minutes exceeded');
});

test('instances all run, never more than parallelism at once', async () => {
  const { driver, reportFor, workRoot } = setup();
  // Each instance counts the markers present while its own exists: a count above 2 means 3 ran at once.
  const script =
    'mkdir -p ../../running; touch ../../running/$CLOUDPLANE_INSTANCE_INDEX; ls ../../running | wc -l >> ../../counts; sleep 0.3; rm ../../running/$CLOUDPLANE_INSTANCE_INDEX';
  const resource = job({ cmd: '/bin/sh', args: `-c '${script}'`, instances: 5, parallelism: 2 });
  await driver.apply(resource);
  const report = await reportFor(resource.id);
  assert.equal(report.state, 'succeeded', report.message);
  const counts = read(path.join(workRoot, 'counts')).trim().split('\n').map(Number);
  assert.equal(counts.length, 5);
  assert.ok(Math.max(...counts) <= 2, `at most 2 at once, saw ${counts.join(',')}`);
  assert.deepEqual(
    (await jobLogPaths(workRoot, resource.id)).map((logs) => logs.task),
    ['i0', 'i1', 'i2', 'i3', 'i4'],
  );
});

test('an MPI job runs one process per node with the rank and size variables', async () => {
  const { driver, reportFor, workRoot } = setup();
  const line = '$OMPI_COMM_WORLD_RANK $OMPI_COMM_WORLD_SIZE $PMI_RANK $PMI_SIZE $CLOUDPLANE_RANK $CLOUDPLANE_SIZE';
  const resource = job({ type: 'mpi', nodes: 3, cmd: '/bin/sh', args: `-c 'echo "${line}" > rank-$PMI_RANK'` });
  await driver.apply(resource);
  const report = await reportFor(resource.id);
  assert.equal(report.state, 'succeeded', report.message);
  const work = path.join(workRoot, resource.id, 'work');
  for (const rank of [0, 1, 2]) assert.equal(read(path.join(work, `rank-${rank}`)), `${rank} 3 ${rank} 3 ${rank} 3\n`);
  assert.deepEqual(
    (await jobLogPaths(workRoot, resource.id)).map((logs) => logs.task),
    ['i0-r0', 'i0-r1', 'i0-r2'],
  );
});

test('declared output files and directories are collected; anything else cannot be fetched', async () => {
  const { driver, reportFor, workRoot } = setup();
  const script =
    'echo result > result.txt; mkdir plots; echo plot > plots/a.txt; echo secret > secret.txt; ln -s /etc/hostname link.txt';
  const resource = job({
    cmd: '/bin/sh',
    args: `-c '${script}'`,
    outputFiles: ['result.txt', 'absent.txt', 'link.txt'],
    outputDirs: ['plots'],
  });
  await driver.apply(resource);
  const report = await reportFor(resource.id);
  assert.deepEqual(report.details?.outputs, {
    collected: ['result.txt', 'plots'],
    missing: ['absent.txt', 'link.txt'],
  });
  assert.equal(read(jobOutputPath(workRoot, resource.id, 'result.txt')!), 'result\n');
  assert.equal(read(path.join(jobOutputPath(workRoot, resource.id, 'plots')!, 'a.txt')), 'plot\n');
  assert.equal(jobOutputPath(workRoot, resource.id, 'secret.txt'), undefined);
  assert.equal(jobOutputPath(workRoot, resource.id, 'link.txt'), undefined);
  assert.equal(jobOutputPath(workRoot, resource.id, '../job.json'), undefined);
});

test('stopping a job ends what runs and starts no waiting instance', async () => {
  const { driver, supervisor, workRoot } = setup();
  const resource = job({ cmd: 'sleep', args: '60', instances: 3, parallelism: 1 });
  await driver.apply(resource);
  const stopped = await driver.act(resource, 'stop');
  assert.equal(stopped.state, 'stopped');
  assert.equal((await supervisor.status(`${resource.id}/i0`))?.reason, 'killed');
  assert.equal(await supervisor.status(`${resource.id}/i1`), undefined);
  assert.equal((await driver.observe(resource)).state, 'stopped');
  assert.equal((await jobLogPaths(workRoot, resource.id)).length, 1);
});

test('restarting a finished job runs it again from a fresh working directory', async () => {
  const { driver, reportFor, reports, workRoot } = setup();
  // Exits 2 in a fresh directory, 9 where an earlier run left its file behind.
  const resource = job({
    cmd: '/bin/sh',
    args: `-c 'echo run >> ../../runs; if [ -e leftover ]; then exit 9; fi; touch leftover; exit 2'`,
  });
  await driver.apply(resource);
  assert.equal((await reportFor(resource.id)).message, 'instance 0 exited with code 2');
  reports.length = 0;
  // Whether it is still running when restart returns depends on the machine; either answer is true.
  assert.ok(['active', 'failed'].includes((await driver.act(resource, 'restart')).state));
  assert.equal((await reportFor(resource.id)).message, 'instance 0 exited with code 2');
  assert.equal(read(path.join(workRoot, 'runs')), 'run\nrun\n');
});

test('removing a job stops its processes, forgets them and deletes its directory', async () => {
  const { driver, supervisor, workRoot } = setup();
  const resource = job({ cmd: 'sleep', args: '60', instances: 2 });
  await driver.apply(resource);
  const running = await supervisor.status(`${resource.id}/i1`);
  assert.equal(running?.state, 'running');
  await driver.remove(resource);
  assert.equal(existsSync(path.join(workRoot, resource.id)), false);
  assert.equal(await supervisor.status(`${resource.id}/i0`), undefined);
  assert.equal(await supervisor.status(`${resource.id}/i1`), undefined);
  assert.throws(() => process.kill(running.pid!, 0));
  await driver.remove(resource);
});

test('after a server restart, observe re-adopts running instances and the rest run exactly once', async () => {
  const first = setup();
  const release = path.join(first.workRoot, 'release');
  const script = `echo $CLOUDPLANE_INSTANCE_INDEX >> ../../marks; while [ ! -e ${release} ]; do sleep 0.05; done`;
  const resource = job({ cmd: '/bin/sh', args: `-c '${script}'`, instances: 3, parallelism: 2 });
  await first.driver.apply(resource);
  await first.supervisor.close();

  // A new server: new supervisor, host and driver on the same directories.
  const supervisor = createProcessSupervisor(path.join(first.stateDir, 'processes'));
  supervisors.push(supervisor);
  const second = memoryHost(first.stateDir);
  const driver = createLocalJobDriver(second.host, supervisor, { workRoot: first.workRoot });
  await supervisor.adoptAll();
  const observed = await driver.observe({ ...resource, state: 'active' });
  assert.equal(observed.state, 'active');
  assert.deepEqual(observed.details?.instances, { total: 3, running: 2, finished: 0, waiting: 1 });
  writeFileSync(release, '');
  assert.equal((await second.reportFor(resource.id)).state, 'succeeded');
  assert.deepEqual(read(path.join(first.workRoot, 'marks')).trim().split('\n').sort(), ['0', '1', '2']);
});

test('what was enforced is reported: memory per process as an rlimit here, cpus only with cgroups', async () => {
  const { driver, reportFor } = setup();
  const resource = job({ cmd: 'true', memory: 2, cpus: 2, runtime: 5 });
  await driver.apply(resource);
  const enforcement = (await reportFor(resource.id)).details?.enforcement as Record<string, any>;
  assert.equal(enforcement.memoryBytes.requested, 2 * 1024 ** 3);
  assert.equal(enforcement.cpus.enforced, enforcement.method === 'cgroup-v2');
  assert.equal(enforcement.memoryBytes.enforced, enforcement.method !== 'none');
  assert.deepEqual(enforcement.runtime, { requestedMinutes: 5, enforced: true });
  assert.equal(enforcement.container, 'host');
});

test('an image that is not here and cannot be pulled is a permanent error, and nothing is started', async () => {
  const { driver, dir, workRoot } = setup({ imageRoot: path.join(root, 'no-images'), containerRuntime: 'bwrap' });
  const resource = job({ image: 'alpine:3', cmd: 'true' });
  await assert.rejects(driver.apply(resource), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.match(
      error.message,
      /^image alpine:3 cannot be run here: no rootfs at .*no-images\/alpine_3 and no podman, and it cannot be pulled: no image cache$/,
    );
    return true;
  });
  assert.equal(existsSync(path.join(workRoot, resource.id)), false);
  assert.ok(existsSync(dir));
});

test('remote artifacts are refused; file:// artifacts are copied into the working directory', async () => {
  const { driver, reportFor, dir } = setup();
  await assert.rejects(
    driver.apply(job({ cmd: 'true', artifacts: ['https://example.org/data.tar'] })),
    PermanentDriverError,
  );
  const artifact = path.join(dir, 'dataset.txt');
  writeFileSync(artifact, 'local data\n');
  const resource = job({ cmd: 'grep', args: '-q "local data" dataset.txt', artifacts: [pathToFileURL(artifact).href] });
  await driver.apply(resource);
  assert.equal((await reportFor(resource.id)).state, 'succeeded');
});

const bwrap = findProgram('bwrap');
const busybox = findProgram('busybox');

test(
  'a job with an image runs inside its rootfs with bubblewrap',
  {
    skip:
      !(bwrap && busybox) &&
      !process.env.CI &&
      'needs bwrap and a static busybox (CI installs them and never skips this)',
  },
  async () => {
    const imageRoot = path.join(root, 'images');
    const rootfs = path.join(imageRoot, 'tiny_1');
    mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    copyFileSync(busybox!, path.join(rootfs, 'bin', 'busybox'));
    for (const tool of ['sh', 'ls', 'echo', 'cat', 'sleep']) symlinkSync('busybox', path.join(rootfs, 'bin', tool));
    const { driver, reportFor, workRoot } = setup({ imageRoot });
    const resource = job({
      image: 'tiny:1',
      cmd: '/bin/sh',
      args: `-c 'ls / > root.txt; cat in.txt; echo $CLOUDPLANE_INSTANCE_INDEX $PWD'`,
      inputs: [{ filename: 'in.txt', content: base64('from host\n') }],
    });
    await driver.apply(resource);
    const report = await reportFor(resource.id);
    assert.equal(report.state, 'succeeded', report.message);
    const work = path.join(workRoot, resource.id, 'work');
    const listing = read(path.join(work, 'root.txt')).split('\n');
    assert.ok(listing.includes('bin') && listing.includes('work') && !listing.includes('usr'), listing.join(' '));
    const [logs] = await jobLogPaths(workRoot, resource.id);
    assert.equal(read(logs.stdout), 'from host\n0 /work\n');
    assert.equal((report.details?.enforcement as Record<string, unknown>).container, 'bwrap');
  },
);
