// Servers and stacks on the local driver: a server is a real supervised process; a stack acts on its servers.
import assert from 'node:assert/strict';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DriverResource, KindDriver } from '../../src/drivers/driver.ts';
import { resourceFiles } from '../../src/drivers/local/resource-files.ts';
import { createLocalServerDriver } from '../../src/drivers/local/server.ts';
import { createLocalStackDriver, stackObservation } from '../../src/drivers/local/stack.ts';
import { isGone, processState, sandboxMaker, type Sandbox } from './local-driver-host.ts';

const newSandbox = sandboxMaker();

const setup = () => {
  const sandbox = newSandbox();
  const servers = createLocalServerDriver(sandbox.host, sandbox.supervisor, { stateDir: sandbox.stateDir });
  return { ...sandbox, servers };
};

const serverSpec = (spec: Record<string, unknown> = {}) => ({
  flavor: '',
  cpus: 1,
  memoryMiB: 256,
  diskGiB: 10,
  ...spec,
});

/** Acts like the engine: the driver's answer becomes the resource's state. */
const run = async (
  sandbox: Sandbox,
  driver: KindDriver,
  resource: DriverResource,
  step: 'apply' | Parameters<KindDriver['act']>[1],
) => {
  const observation = step === 'apply' ? await driver.apply(resource) : await driver.act(resource, step);
  sandbox.host.save(resource, observation);
  return observation;
};

const pidOf = (resource: DriverResource) => resource.details.pid as number;

test('applying a server starts one idle process, and applying it again starts nothing more', async () => {
  const sandbox = setup();
  const server = sandbox.host.add('server', serverSpec());
  const first = await run(sandbox, sandbox.servers, server, 'apply');
  assert.equal(first.state, 'active');
  assert.deepEqual(first.details?.command, ['sleep', 'infinity']);
  assert.ok(['rlimit', 'cgroup-v2', 'none'].includes((first.details?.enforcement as { method: string }).method));
  const pid = pidOf(server);
  assert.ok(!isGone(pid));
  const second = await run(sandbox, sandbox.servers, server, 'apply');
  assert.equal(second.details?.pid, pid);
  await sandbox.servers.remove(server);
});

test('stop, start, suspend, resume, restart and remove act on the server process', async () => {
  const sandbox = setup();
  const server = sandbox.host.add('server', serverSpec());
  await run(sandbox, sandbox.servers, server, 'apply');
  const firstPid = pidOf(server);

  assert.equal((await run(sandbox, sandbox.servers, server, 'stop')).state, 'stopped');
  assert.ok(isGone(firstPid));

  assert.equal((await run(sandbox, sandbox.servers, server, 'start')).state, 'active');
  const startedPid = pidOf(server);
  assert.notEqual(startedPid, firstPid);

  assert.equal((await run(sandbox, sandbox.servers, server, 'suspend')).state, 'suspended');
  assert.equal(processState(startedPid), 'T');

  assert.equal((await run(sandbox, sandbox.servers, server, 'resume')).state, 'active');
  assert.notEqual(processState(startedPid), 'T');

  assert.equal((await run(sandbox, sandbox.servers, server, 'restart')).state, 'active');
  const restartedPid = pidOf(server);
  assert.notEqual(restartedPid, startedPid);
  assert.ok(isGone(startedPid));

  await sandbox.servers.remove(server);
  assert.ok(isGone(restartedPid));
  assert.equal(await sandbox.supervisor.status(`${server.id}/server`), undefined);
  assert.equal(existsSync(resourceFiles(sandbox.stateDir, 'server', server.id).dir), false);
  assert.deepEqual(sandbox.host.reports, []);
});

test('a server whose process exits on its own is reported failed with its exit code; a stopped one is not', async () => {
  const sandbox = setup();
  const signal = path.join(sandbox.dir, 'exit-now');
  const waiting = ['sh', '-c', `while [ ! -e ${signal} ]; do sleep 0.05; done; exit 3`];
  const stopped = sandbox.host.add('server', serverSpec());
  const dying = sandbox.host.add('server', serverSpec({ command: waiting }));
  await run(sandbox, sandbox.servers, stopped, 'apply');
  await run(sandbox, sandbox.servers, dying, 'apply');
  await run(sandbox, sandbox.servers, stopped, 'stop');

  writeFileSync(signal, '');
  const report = await sandbox.host.reportFor(dying.id, (observation) => observation.state === 'failed');
  assert.equal(report.message, 'process exited with code 3');
  assert.equal((await sandbox.servers.observe(dying)).state, 'failed');
  assert.equal((await sandbox.servers.observe(stopped)).state, 'stopped');
  assert.deepEqual(
    sandbox.host.reports.map((each) => each.resourceId),
    [dying.id],
  );

  // Failed is not final: start launches the command again.
  unlinkSync(signal);
  assert.equal((await run(sandbox, sandbox.servers, dying, 'start')).state, 'active');
  assert.ok(!isGone(pidOf(dying)));
  await sandbox.servers.remove(dying);
  await sandbox.servers.remove(stopped);
});

test('after a restart, observe finds the running and the paused servers, starts nothing, and still notices deaths', async () => {
  const sandbox = setup();
  const running = sandbox.host.add('server', serverSpec());
  const paused = sandbox.host.add('server', serverSpec());
  await run(sandbox, sandbox.servers, running, 'apply');
  await run(sandbox, sandbox.servers, paused, 'apply');
  await run(sandbox, sandbox.servers, paused, 'suspend');

  const supervisor = sandbox.restartSupervisor();
  await supervisor.adoptAll();
  const servers = createLocalServerDriver(sandbox.host, supervisor, { stateDir: sandbox.stateDir });
  const seenRunning = await servers.observe(running);
  const seenPaused = await servers.observe(paused);
  assert.deepEqual([seenRunning.state, seenRunning.details?.pid], ['active', pidOf(running)]);
  assert.deepEqual([seenPaused.state, seenPaused.details?.pid], ['suspended', pidOf(paused)]);
  assert.equal(processState(pidOf(paused)), 'T');

  process.kill(pidOf(running), 'SIGKILL');
  const report = await sandbox.host.reportFor(running.id, (observation) => observation.state === 'failed');
  assert.equal(report.message, 'process killed by signal SIGKILL');
  await servers.remove(running);
  await servers.remove(paused);
  assert.ok(isGone(pidOf(paused)));
});

test('actions on a stack go to each of its servers whose state allows them, and the stack reads its state from theirs', async () => {
  const sandbox = setup();
  const stacks = createLocalStackDriver(sandbox.host, sandbox.supervisor, { servers: sandbox.servers });
  const stack = sandbox.host.add('stack', { description: '' });
  assert.equal((await run(sandbox, stacks, stack, 'apply')).state, 'active');
  const members = [1, 2, 3].map(() => sandbox.host.add('server', serverSpec(), { parentId: stack.id }));
  for (const server of members) await run(sandbox, sandbox.servers, server, 'apply');
  await run(sandbox, sandbox.servers, members[2], 'stop');

  const stopped = await run(sandbox, stacks, stack, 'stop');
  assert.equal(stopped.state, 'stopped');
  assert.deepEqual(stopped.details, { servers: 3, stopped: 3 });
  // The third was already stopped: only the other two were acted on (together), and each new state was reported.
  const reported = sandbox.host.reports.map((report) => `${report.resourceId} ${report.observation.state}`);
  assert.deepEqual(reported.sort(), [`${members[0].id} stopped`, `${members[1].id} stopped`].sort());
  assert.ok(members.every((server) => isGone(pidOf(server))));

  assert.equal((await run(sandbox, stacks, stack, 'start')).state, 'active');
  assert.ok(members.every((server) => server.state === 'active' && !isGone(pidOf(server))));
  assert.equal((await run(sandbox, stacks, stack, 'suspend')).state, 'suspended');
  assert.ok(members.every((server) => processState(pidOf(server)) === 'T'));
  assert.equal((await stacks.observe(stack)).state, 'suspended');
  for (const server of members) await sandbox.servers.remove(server);
});

test('a stack with a failed server is failed; with none running and one paused it is suspended', () => {
  assert.equal(stackObservation(['active', 'failed', 'stopped']).state, 'failed');
  assert.equal(stackObservation(['active', 'failed', 'stopped']).message, '1 of 3 servers failed');
  assert.equal(stackObservation(['active', 'stopped']).state, 'active');
  assert.equal(stackObservation(['suspended', 'stopped']).state, 'suspended');
  assert.equal(stackObservation(['provisioning', 'active']).state, 'provisioning');
  assert.equal(stackObservation(['stopped', 'deleting']).state, 'stopped');
  assert.equal(stackObservation([]).state, 'active');
});
