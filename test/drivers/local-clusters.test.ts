// Clusters and applications on the local driver: capacity slots, and each replica a real process in its cluster.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PermanentDriverError, type DriverResource } from '../../src/drivers/driver.ts';
import { createLocalApplicationDriver } from '../../src/drivers/local/application.ts';
import { clusterFiles } from '../../src/drivers/local/cluster-slots.ts';
import { createLocalClusterDriver } from '../../src/drivers/local/cluster.ts';
import { isGone, sandboxMaker, until } from './local-driver-host.ts';

const newSandbox = sandboxMaker();

const setup = () => {
  const sandbox = newSandbox();
  const options = { stateDir: sandbox.stateDir };
  const clusters = createLocalClusterDriver(sandbox.host, sandbox.supervisor, options);
  const applications = createLocalApplicationDriver(sandbox.host, sandbox.supervisor, options);
  return { ...sandbox, clusters, applications };
};

type Setup = ReturnType<typeof setup>;

const clusterSpec = (nodePoolSize: number) => ({
  nodePoolSize,
  node: { cpus: 1, memoryMiB: 1024, diskGiB: 10 },
  version: '',
});

const applicationSpec = (spec: Record<string, unknown>) => ({
  chart: 'demo',
  version: '',
  registry: '',
  server: '',
  channel: 'stable',
  deploymentName: '',
  set: '',
  values: {},
  command: ['sleep', 'infinity'],
  replicas: 1,
  cpus: 1,
  memoryMiB: 256,
  ...spec,
});

const activeCluster = async (sandbox: Setup, nodePoolSize: number) => {
  const cluster = sandbox.host.add('cluster', clusterSpec(nodePoolSize));
  sandbox.host.save(cluster, await sandbox.clusters.apply(cluster));
  return cluster;
};

/** Creates and applies an application, as the engine does, keeping the driver's answer in it. */
const deploy = async (sandbox: Setup, cluster: DriverResource, spec: Record<string, unknown>) => {
  const application = sandbox.host.add('application', applicationSpec(spec), { parentId: cluster.id });
  sandbox.host.save(application, await sandbox.applications.apply(application));
  return application;
};

const pidsOf = (application: DriverResource) =>
  (application.details.replicas as Array<{ pid: number }>).map((replica) => replica.pid);

test('a cluster offers nodePoolSize slots and counts the replicas its applications hold', async () => {
  const sandbox = setup();
  const cluster = sandbox.host.add('cluster', clusterSpec(3));
  const applied = await sandbox.clusters.apply(cluster);
  assert.equal(applied.state, 'active');
  assert.deepEqual(applied.details, { capacity: 3, used: 0, free: 3 });
  const application = await deploy(sandbox, cluster, { replicas: 2 });
  assert.deepEqual((await sandbox.clusters.observe(cluster)).details, { capacity: 3, used: 2, free: 1 });
  await sandbox.applications.remove(application);
  assert.deepEqual((await sandbox.clusters.observe(cluster)).details, { capacity: 3, used: 0, free: 3 });
  // A cluster is bookkeeping only: observing one whose record is lost sets it up again.
  rmSync(clusterFiles(sandbox.stateDir, cluster.id).dir, { recursive: true });
  assert.deepEqual(await sandbox.clusters.observe(cluster), applied);
});

test('a cluster cannot shrink below what its applications use', async () => {
  const sandbox = setup();
  const cluster = await activeCluster(sandbox, 3);
  const application = await deploy(sandbox, cluster, { replicas: 2 });
  await assert.rejects(sandbox.clusters.apply({ ...cluster, generation: 2, spec: clusterSpec(1) }), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.match(error.message, /cannot shrink to 1 nodes: its applications use 2 slots/);
    return true;
  });
  assert.deepEqual((await sandbox.clusters.apply({ ...cluster, generation: 3, spec: clusterSpec(2) })).details, {
    capacity: 2,
    used: 2,
    free: 0,
  });
  await sandbox.applications.remove(application);
});

test('each replica is a process of its own that knows its replica number and cluster', async () => {
  const sandbox = setup();
  const cluster = await activeCluster(sandbox, 3);
  const out = sandbox.dir;
  const command = [
    'sh',
    '-c',
    `echo "$CLOUDPLANE_REPLICA $CLOUDPLANE_CLUSTER" > ${out}/replica-$CLOUDPLANE_REPLICA; exec sleep infinity`,
  ];
  const application = await deploy(sandbox, cluster, { replicas: 2, command });
  assert.equal(application.state, 'active');
  const pids = pidsOf(application);
  assert.equal(new Set(pids).size, 2);
  assert.ok(pids.every((pid) => !isGone(pid)));
  for (const replica of [0, 1]) {
    const written = await until(`replica ${replica} to write its file`, () => {
      try {
        // The shell creates the file before echo writes its line: wait for the whole line.
        const text = readFileSync(path.join(out, `replica-${replica}`), 'utf8');
        return text.endsWith('\n') ? text : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(written, `${replica} ${cluster.id}\n`);
  }

  // Scaling up adds a replica and leaves the running ones alone.
  const scaled = await sandbox.applications.apply({
    ...application,
    generation: 2,
    spec: applicationSpec({ replicas: 3, command }),
  });
  sandbox.host.save(application, scaled);
  assert.deepEqual(pidsOf(application).slice(0, 2), pids);
  assert.equal(pidsOf(application).length, 3);

  assert.equal((await sandbox.applications.act(application, 'stop')).state, 'stopped');
  assert.ok(pidsOf(application).every(isGone));
  const started = await sandbox.applications.act(application, 'start');
  sandbox.host.save(application, started);
  assert.equal(started.state, 'active');
  assert.ok(pidsOf(application).every((pid) => !isGone(pid)));
  await sandbox.applications.remove(application);
  assert.ok(pidsOf(application).every(isGone));
  assert.deepEqual(sandbox.host.reports, []);
});

test('an application that needs more slots than are free is refused for good', async () => {
  const sandbox = setup();
  const cluster = await activeCluster(sandbox, 3);
  const first = await deploy(sandbox, cluster, { replicas: 2 });
  const second = sandbox.host.add('application', applicationSpec({ replicas: 2 }), { parentId: cluster.id });
  await assert.rejects(sandbox.applications.apply(second), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.equal(error.message, `cluster ${cluster.name} has no room: needs 2 slots, 1 free of 3`);
    return true;
  });
  // Refused, it holds nothing: one replica still fits.
  const third = await deploy(sandbox, cluster, { replicas: 1 });
  assert.equal(third.state, 'active');
  await sandbox.applications.remove(first);
  await sandbox.applications.remove(third);
});

test('an application waits (a retryable error) until its cluster is set up, and needs a command', async () => {
  const sandbox = setup();
  const cluster = sandbox.host.add('cluster', clusterSpec(2));
  const application = sandbox.host.add('application', applicationSpec({}), { parentId: cluster.id });
  await assert.rejects(sandbox.applications.apply(application), (error: Error) => {
    assert.ok(!(error instanceof PermanentDriverError));
    assert.equal(error.message, `cluster ${cluster.id} is not active yet (not set up by the local driver)`);
    return true;
  });
  sandbox.host.save(cluster, await sandbox.clusters.apply(cluster));
  assert.equal((await sandbox.applications.apply(application)).state, 'active');
  await sandbox.applications.remove(application);

  const chartOnly = sandbox.host.add(
    'application',
    { ...applicationSpec({}), command: undefined },
    { parentId: cluster.id },
  );
  await assert.rejects(sandbox.applications.apply(chartOnly), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.equal(error.message, "the local driver runs an application's command; this one has none (chart demo)");
    return true;
  });
});

test('a replica that dies makes its application failed, and restart brings it back', async () => {
  const sandbox = setup();
  const cluster = await activeCluster(sandbox, 2);
  const application = await deploy(sandbox, cluster, { replicas: 2 });
  process.kill(pidsOf(application)[1], 'SIGTERM');
  const report = await sandbox.host.reportFor(application.id, (observation) => observation.state === 'failed');
  assert.equal(report.message, 'replica 1: process killed by signal SIGTERM');
  assert.equal((await sandbox.applications.observe(application)).state, 'failed');
  const restarted = await sandbox.applications.act(application, 'restart');
  sandbox.host.save(application, restarted);
  assert.equal(restarted.state, 'active');
  assert.ok(pidsOf(application).every((pid) => !isGone(pid)));
  await sandbox.applications.remove(application);
});
