// Services on the local driver: catalogue types run as real processes that answer on their own port.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { test } from 'node:test';
import { PermanentDriverError, type DriverResource } from '../../src/drivers/driver.ts';
import { defaultCatalogue, installedTypes, renderCommand } from '../../src/drivers/local/catalogue.ts';
import { resourceFiles } from '../../src/drivers/local/resource-files.ts';
import { createLocalServiceDriver } from '../../src/drivers/local/service.ts';
import { isGone, sandboxMaker, until } from './local-driver-host.ts';

const newSandbox = sandboxMaker();

const setup = () => {
  const sandbox = newSandbox();
  const services = createLocalServiceDriver(sandbox.host, sandbox.supervisor, { stateDir: sandbox.stateDir });
  return { ...sandbox, services };
};

const serviceSpec = (type: string, displayName = '') => ({ type, displayName, cloud: 'default', info: {} });

/** The HTTP answer once the service listens (a fresh python takes a moment to bind). */
const get = (port: number, path: string) =>
  until(`an HTTP answer on port ${port}`, async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: response.status, body: await response.text() };
    } catch {
      return undefined;
    }
  });

const echo = (port: number, line: string) =>
  until(
    `an echo on port ${port}`,
    () =>
      new Promise<string | undefined>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(line));
        socket.once('data', (data) => {
          socket.destroy();
          resolve(data.toString());
        });
        socket.once('error', () => resolve(undefined));
      }),
  );

test('an http-static service serves the files in its working directory on its own port', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('http-static', 'site'));
  const observation = await sandbox.services.apply(service);
  assert.equal(observation.state, 'active');
  const { port, address, pid, command } = observation.details as {
    port: number;
    address: string;
    pid: number;
    command: string[];
  };
  assert.equal(address, `127.0.0.1:${port}`);
  assert.ok(!isGone(pid));
  const workdir = resourceFiles(sandbox.stateDir, 'service', service.id).workdir;
  assert.deepEqual(command, [
    'python3',
    '-m',
    'http.server',
    String(port),
    '--bind',
    '127.0.0.1',
    '--directory',
    workdir,
  ]);
  writeFileSync(`${workdir}/hello.txt`, 'hello from cloudplane\n');
  assert.deepEqual(await get(port, '/hello.txt'), { status: 200, body: 'hello from cloudplane\n' });
  await sandbox.services.remove(service);
  assert.ok(isGone(pid));
});

test('a tcp-echo service sends back what it receives', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('tcp-echo'));
  const { port } = (await sandbox.services.apply(service)).details as { port: number };
  assert.equal(await echo(port, 'ping\n'), 'ping\n');
  await sandbox.services.remove(service);
});

test('renaming a running service keeps its process and shows the new name', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('http-static', 'before'));
  const first = await sandbox.services.apply(service);
  const renamed: DriverResource = { ...service, generation: 2, spec: serviceSpec('http-static', 'after') };
  const second = await sandbox.services.apply(renamed);
  assert.equal(second.state, 'active');
  assert.equal(first.details?.name, 'before');
  assert.equal(second.details?.name, 'after');
  assert.equal(second.details?.pid, first.details?.pid);
  assert.equal(second.details?.port, first.details?.port);
  await sandbox.services.remove(renamed);
});

test('stop, start and restart keep the service on its port with a new process each time', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('http-static'));
  const { port, pid } = (await sandbox.services.apply(service)).details as { port: number; pid: number };

  const stopped = await sandbox.services.act(service, 'stop');
  assert.equal(stopped.state, 'stopped');
  assert.ok(isGone(pid));

  const started = await sandbox.services.act(service, 'start');
  assert.deepEqual([started.state, started.details?.port], ['active', port]);
  assert.equal((await get(port, '/')).status, 200);

  const restarted = await sandbox.services.act(service, 'restart');
  assert.deepEqual([restarted.state, restarted.details?.port], ['active', port]);
  assert.notEqual(restarted.details?.pid, started.details?.pid);
  assert.ok(isGone(started.details?.pid as number));
  assert.equal((await get(port, '/')).status, 200);
  // Between a launch and its first answer the service is reported provisioning, with its address; nothing else.
  assert.deepEqual(
    sandbox.host.reports.filter((report) => report.observation.state !== 'provisioning'),
    [],
  );
  assert.ok(sandbox.host.reports.every((report) => report.observation.details?.address === `127.0.0.1:${port}`));
  await sandbox.services.remove(service);
});

test('a service whose process dies is reported failed', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('tcp-echo'));
  const { pid } = (await sandbox.services.apply(service)).details as { pid: number };
  process.kill(pid, 'SIGKILL');
  const report = await sandbox.host.reportFor(service.id, (observation) => observation.state === 'failed');
  assert.equal(report.message, 'process killed by signal SIGKILL');
  assert.equal((await sandbox.services.observe(service)).state, 'failed');
  await sandbox.services.remove(service);
});

test('a type the catalogue does not have is refused for good, naming the types it has', async () => {
  const sandbox = setup();
  const service = sandbox.host.add('service', serviceSpec('java'));
  await assert.rejects(sandbox.services.apply(service), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.equal(error.message, 'unknown service type "java"; the catalogue has: http-static, mysql, php, tcp-echo');
    return true;
  });
  assert.equal((await sandbox.services.observe(service)).state, 'failed');
});

test('an operator catalogue adds types to the default ones, and its placeholders are filled in', async () => {
  const sandbox = setup();
  const catalogue = { greeter: { command: ['sh', '-c', 'echo "{name} {id}" > greeting; exec sleep infinity'] } };
  const services = createLocalServiceDriver(sandbox.host, sandbox.supervisor, {
    stateDir: sandbox.stateDir,
    catalogue,
  });
  const service = sandbox.host.add('service', serviceSpec('greeter', 'hi'));
  const observation = await services.apply(service);
  assert.deepEqual(observation.details?.command, [
    'sh',
    '-c',
    `echo "hi ${service.id}" > greeting; exec sleep infinity`,
  ]);
  await assert.rejects(
    services.apply({ ...service, spec: serviceSpec('java') }),
    /the catalogue has: greeter, http-static/,
  );
  await services.remove(service);
  const values = { port: 8080, name: 'n', id: 'i', workdir: '/w', private: '/p', runtime: '/r' };
  assert.deepEqual(
    renderCommand(['{port}', 'x{name}{id}', '{workdir}/{other}', '{}', '{private}/a', '{runtime}/s'], values),
    ['8080', 'xni', '/w/{other}', '{}', '/p/a', '/r/s'],
  );
});

test('a type whose software is not installed is refused for good, naming what is missing', async () => {
  const sandbox = setup();
  const catalogue = { fortran: { command: ['gfortran-server'], requires: ['no-such-program-here'] } };
  const services = createLocalServiceDriver(sandbox.host, sandbox.supervisor, {
    stateDir: sandbox.stateDir,
    catalogue,
  });
  const service = sandbox.host.add('service', serviceSpec('fortran'));
  await assert.rejects(services.apply(service), (error: Error) => {
    assert.ok(error instanceof PermanentDriverError);
    assert.equal(error.message, 'service type "fortran" cannot run here: no-such-program-here not installed');
    return true;
  });
  assert.ok(!installedTypes({ ...defaultCatalogue, ...catalogue }).includes('fortran'));
});

test('a service is active only once it answers: until then it is provisioning, with its address', async () => {
  const sandbox = setup();
  // Listens only after a while: the readiness check, not the process start, makes it active.
  const catalogue = {
    late: {
      command: ['sh', '-c', 'sleep 0.5; exec python3 -m http.server {port} --bind 127.0.0.1'],
      ready: { http: '/' },
    },
  };
  const services = createLocalServiceDriver(sandbox.host, sandbox.supervisor, {
    stateDir: sandbox.stateDir,
    catalogue,
  });
  const service = sandbox.host.add('service', serviceSpec('late'));
  const observation = await services.apply(service);
  assert.equal(observation.state, 'active');
  const [waiting] = sandbox.host.reports;
  assert.equal(waiting.observation.state, 'provisioning');
  assert.match(waiting.observation.message, /^running, not answering yet: nothing answers HTTP on 127\.0\.0\.1:\d+$/);
  assert.equal(waiting.observation.details?.address, observation.details?.address);
  await services.remove(service);
});
