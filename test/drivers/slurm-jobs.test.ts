// Jobs run on a real Slurm cluster through the slurm driver: how they end, what they leave, what Slurm is asked for.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSlurmJobDriver } from '../../src/drivers/slurm/job-driver.ts';
import type { SlurmJobDriver } from '../../src/drivers/slurm/job-driver.ts';
import { ended, noSlurm, recordingHost, scontrolShowJob, slurmEnvironment, testJobs } from '../support/slurm.ts';
import type { RecordingHost } from '../support/slurm.ts';

const env = slurmEnvironment();
const jobs = testJobs(env);
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('slurm jobs', { skip: env ? false : noSlurm }, () => {
  let workRoot: string;
  let host: RecordingHost;
  let driver: SlurmJobDriver;

  before(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'cloudplane-slurm-test-'));
    host = recordingHost(workRoot);
    driver = createSlurmJobDriver(host, { workRoot: join(workRoot, 'jobs'), env, pollIntervalMs: 250 });
  });
  after(async () => {
    driver?.close();
    await jobs.cancelAll();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
  });

  test('a job that exits 0 succeeds, reads its inputs and leaves its outputs in the working directory', async () => {
    const job = jobs.create({
      cmd: 'mkdir -p out && tr a-z A-Z < data/in.txt > out/result.txt && echo "$GREETING|$odd.name"; printenv odd.name',
      inputs: [{ filename: 'data/in.txt', content: base64('hello slurm\n') }],
      env: ['GREETING=it\'s a "quoted" $HOME, value', 'odd.name=dotted'],
      outputDirs: ['out'],
    });
    const applied = await driver.apply(job);
    assert.ok(['provisioning', 'active'].includes(applied.state), applied.message);
    assert.equal(typeof applied.details?.slurmJobId, 'number');

    const final = await host.waitForReport(job.id, ended);
    assert.equal(final.state, 'succeeded', final.message);
    const workDir = join(workRoot, 'jobs', job.id);
    assert.equal(final.details?.workDir, workDir);
    assert.equal(await readFile(join(workDir, 'out/result.txt'), 'utf8'), 'HELLO SLURM\n');
    assert.equal(await readFile(join(workDir, 'stdout'), 'utf8'), `it's a "quoted" $HOME, value|.name\ndotted\n`);
  });

  test('a job that exits 3 fails with its exit code', async () => {
    const job = jobs.create({ cmd: 'echo about to fail >&2; exit 3' });
    await driver.apply(job);
    const final = await host.waitForReport(job.id, ended);
    assert.equal(final.state, 'failed');
    assert.match(final.message, /FAILED \(exit code 3\)/);
    assert.equal(final.details?.exitCode, 3);
    assert.equal(await readFile(join(workRoot, 'jobs', job.id, 'stderr'), 'utf8'), 'about to fail\n');
  });

  test('runtime, cpus and memory become the Slurm job limits', async () => {
    const job = jobs.create({ cmd: 'sleep 300', runtime: 2, cpus: 2, memory: 1 });
    const applied = await driver.apply(job);
    const [shown] = await scontrolShowJob(env!, applied.details!.slurmJobId as number);
    assert.equal(shown.TimeLimit, '00:02:00');
    assert.equal(shown.JobName, `cloudplane-${job.id}`);
    assert.equal(shown.NumCPUs, '2');
    assert.equal(shown.MinMemoryNode, '1G');
    assert.equal((await driver.act(job, 'stop')).state, 'stopped');
  });

  test('an array job runs every instance, at most `parallelism` at once, and succeeds when all do', async () => {
    const job = jobs.create({ cmd: 'echo instance $SLURM_ARRAY_TASK_ID', instances: 3, parallelism: 1 });
    const applied = await driver.apply(job);
    const slurmJobId = applied.details!.slurmJobId as number;
    const tasks = await scontrolShowJob(env!, slurmJobId);
    assert.ok(
      tasks.every((task) => task.ArrayTaskThrottle === '1'),
      JSON.stringify(tasks),
    );
    assert.ok(tasks.every((task) => task.ArrayJobId === String(slurmJobId)));

    const final = await host.waitForReport(job.id, ended);
    assert.equal(final.state, 'succeeded', final.message);
    for (const index of [0, 1, 2]) {
      assert.equal(await readFile(join(workRoot, 'jobs', job.id, `stdout.${index}`), 'utf8'), `instance ${index}\n`);
    }
  });

  test('an array job fails when one instance fails, and says which', async () => {
    const job = jobs.create({ cmd: 'exit $SLURM_ARRAY_TASK_ID', instances: 2 });
    await driver.apply(job);
    const final = await host.waitForReport(job.id, ended);
    assert.equal(final.state, 'failed');
    assert.match(final.message, /_1 FAILED \(exit code 1\) \(1 of 2 instances failed\)/);
  });

  test('an mpi job starts its command through srun, one rank per node', async () => {
    const job = jobs.create({ cmd: 'echo rank $SLURM_PROCID of $SLURM_NTASKS in step $SLURM_STEP_ID', type: 'mpi' });
    await driver.apply(job);
    const final = await host.waitForReport(job.id, ended);
    assert.equal(final.state, 'succeeded', final.message);
    assert.equal(await readFile(join(workRoot, 'jobs', job.id, 'stdout'), 'utf8'), 'rank 0 of 1 in step 0\n');
  });
});
