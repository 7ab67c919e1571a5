// What the server logs, as a real process: JSON for machines, readable lines on a terminal, one line a
// request, a line per listener and for shutdown, failures with their reason, processes re-adopted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { freePort } from '../support/process-server.ts';
import { runMain } from '../support/main-process.ts';
import { killSupervisedProcesses } from '../support/processes.ts';
import { adminPassword, call } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

async function serverEnv() {
  const dir = scratchDir('cloudplane-logs-');
  const port = await freePort();
  return {
    url: `http://127.0.0.1:${port}`,
    stateDir: join(dir, 'state'),
    env: {
      CLOUDPLANE_SERVER_HOST: '127.0.0.1',
      PORT: String(port),
      CLOUDPLANE_LOG_LEVEL: 'info',
      CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
      CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
      CLOUDPLANE_PKI_DIR: join(dir, 'pki'),
      CLOUDPLANE_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
    },
  };
}

const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, any>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });

test('off a terminal the log is JSON: a line per listener, one per request, and the shutdown', async (t) => {
  const { url, env } = await serverEnv();
  const [concertimPort, httpsPort] = [await freePort(), await freePort()];
  const run = runMain({
    ...env,
    CLOUDPLANE_DIALECTS_CONCERTIM_PORT: String(concertimPort),
    CLOUDPLANE_DIALECTS_CONCERTIM_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
    CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    CLOUDPLANE_PKI_HTTPS_PORT: String(httpsPort),
  });
  t.after(() => run.stop('SIGKILL'));
  await run.waitFor(/cloudplane listening at/, 'main listener');
  const messages = () => jsonLines(run.output()).map((line) => line.msg as string);
  assert.ok(messages().includes(`Concertim API handler listening at http://127.0.0.1:${concertimPort}`), run.output());
  assert.ok(
    messages().includes(`HTTPS listener (client certificates) listening at https://127.0.0.1:${httpsPort}`),
    run.output(),
  );
  assert.ok(
    messages().includes(`cloudplane listening at ${url} (native API at /api/v1, dialects at their paths)`),
    run.output(),
  );

  assert.equal((await call(url, 'GET', '/api/v1/teams/nowhere')).status, 401);
  await run.waitFor(/GET \/api\/v1\/teams\/nowhere 401/, 'the request line');
  const requestLines = jsonLines(run.output()).filter((line) => line.req?.url === '/api/v1/teams/nowhere');
  assert.equal(requestLines.length, 1, run.output());
  const [line] = requestLines;
  assert.equal(line.msg, `GET /api/v1/teams/nowhere 401 ${line.responseTime}ms`);
  assert.equal(line.req.method, 'GET');
  assert.equal(line.res.statusCode, 401);
  assert.equal(typeof line.responseTime, 'number');
  assert.equal(typeof line.reqId, 'string');

  assert.equal(await run.stop('SIGTERM'), 0);
  assert.ok(messages().includes('SIGTERM: shutting down (listeners, engine workers, database)'), run.output());
  assert.equal(messages().at(-1), 'stopped');
});

test('on a terminal the log is readable lines, not JSON', async (t) => {
  const { url, env } = await serverEnv();
  const run = runMain(env, { terminal: true });
  t.after(() => run.stop('SIGKILL'));
  await run.waitFor(/cloudplane listening at/, 'main listener');
  await call(url, 'GET', '/healthz');
  await run.waitFor(/GET \/healthz 200 [\d.]+ms/, 'the request line');
  // Colours, and the carriage returns a terminal adds, aside.
  const lines = stripVTControlCharacters(run.output())
    .replaceAll('\r', '')
    .split('\n')
    .filter((line) => line !== '');
  const request = lines.find((line) => /GET \/healthz 200/.test(line));
  assert.match(request!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/healthz 200 [\d.]+ms \{"reqId":"[^"]+"\}$/);
  assert.ok(
    lines.every((line) => !line.startsWith('{')),
    run.output(),
  );
});

test('the engine logs a resource that failed and why, and after a restart the processes it re-adopted', async (t) => {
  const { url, env, stateDir } = await serverEnv();
  t.after(() => killSupervisedProcesses(stateDir));
  const first = runMain(env);
  t.after(() => first.stop('SIGKILL'));
  await first.waitFor(/cloudplane listening at/, 'first start');
  const login = await call(url, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: adminPassword } });
  const token = login.body.token.token;
  assert.equal((await call(url, 'POST', '/api/v1/teams', { token, body: { name: 'acme' } })).status, 201);
  const job = await call(url, 'POST', '/api/v1/teams/acme/resources', {
    token,
    body: { kind: 'job', name: 'broken', spec: { cmd: '/bin/sh', args: "-c 'exit 3'" } },
  });
  assert.equal(job.status, 201, job.text);
  const server = await call(url, 'POST', '/api/v1/teams/acme/resources', {
    token,
    body: { kind: 'server', name: 'web', spec: { command: ['sleep', 'infinity'] } },
  });
  assert.equal(server.status, 201, server.text);

  await first.waitFor(/job broken failed: /, 'the failure line');
  const failed = await call(url, 'GET', `/api/v1/teams/acme/resources/${job.body.metadata.id}`, { token });
  assert.equal(failed.body.status.state, 'failed');
  const failure = jsonLines(first.output()).find((line) => line.msg?.startsWith('job broken failed: '));
  assert.equal(failure!.msg, `job broken failed: ${failed.body.status.message}`);
  assert.equal(failure!.resource, job.body.metadata.id);
  assert.equal(failure!.level, 40);

  const active = async () =>
    (await call(url, 'GET', `/api/v1/teams/acme/resources/${server.body.metadata.id}`, { token })).body.status.state;
  for (let state = await active(); state !== 'active'; state = await active())
    assert.equal(state === 'pending' || state === 'provisioning', true, state);
  assert.doesNotMatch(first.output(), /re-adopted/);
  assert.equal(await first.stop('SIGTERM'), 0);

  const second = runMain(env);
  t.after(() => second.stop('SIGKILL'));
  await second.waitFor(/cloudplane listening at/, 'second start');
  const adopted = jsonLines(second.output()).find((line) => /^re-adopted/.test(line.msg));
  assert.equal(adopted?.msg, 're-adopted 1 local processes still running from before the restart', second.output());
  assert.equal(adopted.processes.length, 1);
  assert.equal(await second.stop('SIGTERM'), 0);
});
