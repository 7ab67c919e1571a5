// The slurm driver's lifecycle on a real cluster: idempotent submits, refusals, stop, restart, remove, and a driver restart.
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PermanentDriverError } from '../../src/drivers/driver.ts';
import { createSlurmDriver } from '../../src/drivers/slurm/driver.ts';
import { createSlurmJobDriver } from '../../src/drivers/slurm/job-driver.ts';
import type { SlurmJobDriver } from '../../src/drivers/slurm/job-driver.ts';
import {
  ended,
  noSlurm,
  recordingHost,
  scontrolShowJob,
  slurmEnvironment,
  testJobs,
  slurmJobsNamed,
} from '../support/slurm.ts';
import type { RecordingHost } from '../support/slurm.ts';

const env = slurmEnvironment();
const jobs = testJobs(env);
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('slurm job lifecycle', { skip: env ? false : noSlurm }, () => {
  let workRoot: string;
  let host: RecordingHost;
  let driver: SlurmJobDriver;
  const open = (): SlurmJobDriver =>
    createSlurmJobDriver(host, { workRoot: join(workRoot, 'jobs'), env, pollIntervalMs: 250 });

  before(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'cloudplane-slurm-test-'));
    host = recordingHost(workRoot);
    driver = open();
  });
  after(async () => {
    driver?.close();
    await jobs.cancelAll();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
  });

  test('applying a job twice, at once and again later, submits one Slurm job', async () => {
    const job = jobs.create({ cmd: 'sleep 300' });
    const [first, second] = await Promise.all([driver.apply(job), driver.apply(job)]);
    const third = await driver.apply(job);
    assert.equal(second.details?.slurmJobId, first.details?.slurmJobId);
    assert.equal(third.details?.slurmJobId, first.details?.slurmJobId);
    assert.equal((await slurmJobsNamed(env!, `cloudplane-${job.id}`)).length, 1);
    await driver.remove(job);
  });

  test('a job submitted just before its id was recorded is found by name, not submitted again', async () => {
    const job = jobs.create({ cmd: 'sleep 300' });
    const first = await driver.apply(job);
    // What a crash between sbatch and writing the id leaves behind.
    await rm(join(first.details!.workDir as string, '.cloudplane', 'slurm-job-id'));
    const another = open();
    const again = await another.apply(job);
    another.close();
    assert.equal(again.details?.slurmJobId, first.details?.slurmJobId);
    assert.equal((await slurmJobsNamed(env!, `cloudplane-${job.id}`)).length, 1);
    await driver.remove(job);
  });

  test('stopping a running job cancels it in Slurm and it stays stopped', async () => {
    const job = jobs.create({ cmd: 'sleep 300' });
    const applied = await driver.apply(job);
    await host.waitForReport(job.id, (observation) => observation.state === 'active', 30_000).catch(() => undefined);
    const stopped = await driver.act(job, 'stop');
    assert.equal(stopped.state, 'stopped');
    const [shown] = await scontrolShowJob(env!, applied.details!.slurmJobId as number);
    assert.equal(shown.JobState, 'CANCELLED');
    assert.equal((await driver.act(job, 'stop')).state, 'stopped');
    assert.equal((await driver.observe(job)).state, 'stopped');
    assert.ok(!host.reports.some((report) => report.resourceId === job.id && report.observation.state === 'failed'));
  });

  test('restarting a failed job submits it again as a new Slurm job', async () => {
    // Fails the first time, succeeds once the marker it leaves exists.
    const job = jobs.create({ cmd: 'test -f tried || { touch tried; exit 1; }' });
    const first = await driver.apply(job);
    assert.equal((await host.waitForReport(job.id, ended)).state, 'failed');
    const restarted = await driver.act(job, 'restart');
    assert.notEqual(restarted.details?.slurmJobId, first.details?.slurmJobId);
    const final = await host.waitForReport(job.id, (observation) => observation.state === 'succeeded');
    assert.equal(final.details?.slurmJobId, restarted.details?.slurmJobId);
  });

  test('removing a job cancels it and deletes its working directory', async () => {
    const job = jobs.create({ cmd: 'sleep 300' });
    const applied = await driver.apply(job);
    const workDir = applied.details!.workDir as string;
    assert.ok(await exists(workDir));
    await driver.remove(job);
    assert.ok(!(await exists(workDir)));
    const remaining = await slurmJobsNamed(env!, `cloudplane-${job.id}`);
    assert.deepEqual(
      remaining.map((slurmJob) => slurmJob.job_state),
      ['CANCELLED'],
    );
    await driver.remove(job);
  });

  test('a job with an image is refused before anything is submitted', async () => {
    const job = jobs.create({ image: 'alpine:3', cmd: 'true' });
    await assert.rejects(
      driver.apply(job),
      (error: Error) => error instanceof PermanentDriverError && /no container runtime/.test(error.message),
    );
    assert.equal((await slurmJobsNamed(env!, `cloudplane-${job.id}`)).length, 0);
  });

  test("a job asking for more memory than any node has is refused with sbatch's reason", async () => {
    const job = jobs.create({ cmd: 'true', memory: 16384 });
    await assert.rejects(
      driver.apply(job),
      (error: Error) =>
        error instanceof PermanentDriverError && /Memory specification can not be satisfied/.test(error.message),
    );
  });

  test('a job asking for more nodes than the partition has is refused, not left pending', async () => {
    const job = jobs.create({ cmd: 'true', nodes: 64 });
    await assert.rejects(
      driver.apply(job),
      (error: Error) =>
        error instanceof PermanentDriverError && /slurm cannot run job \d+: Partition/.test(error.message),
    );
    const left = await slurmJobsNamed(env!, `cloudplane-${job.id}`);
    assert.ok(
      left.every((slurmJob) => slurmJob.job_state === 'CANCELLED'),
      JSON.stringify(left),
    );
  });

  test('a restarted driver finds running jobs again and reports how they end', async () => {
    const running = jobs.create({ cmd: 'sleep 2' });
    const done = jobs.create({ cmd: 'true' });
    await driver.apply(done);
    await host.waitForReport(done.id, ended);
    await driver.apply(running);
    driver.close();

    const laterHost = recordingHost(workRoot);
    driver = createSlurmJobDriver(laterHost, { workRoot: join(workRoot, 'jobs'), env, pollIntervalMs: 250 });
    assert.equal((await driver.observe(done)).state, 'succeeded');
    assert.ok(['provisioning', 'active'].includes((await driver.observe(running)).state));
    assert.equal((await laterHost.waitForReport(running.id, ended)).state, 'succeeded');
  });

  test('the slurm driver serves the job kind only', async () => {
    const slurm = createSlurmDriver({ workRoot: join(workRoot, 'jobs'), env });
    assert.equal(slurm.name, 'slurm');
    await slurm.start(host);
    assert.ok(slurm.forKind('job'));
    assert.equal(slurm.forKind('server'), undefined);
    await slurm.stop();
  });
});
