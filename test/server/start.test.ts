// `npm start` as a user runs it: the defaults, the bootstrap password printed once, a bad configuration refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/process-server.ts';
import { runMain } from '../support/main-process.ts';
import { call } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

/** Runs `src/main.ts` as `npm start` does and resolves once it listens (or exits). */
async function start(env: Record<string, string>) {
  const run = runMain({ CLOUDPLANE_LOG_LEVEL: 'info', CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0', ...env });
  const first = await Promise.race([
    run.waitFor(/cloudplane listening at/, 'listening').then(
      () => 'listening',
      () => run.exited,
    ),
    run.exited,
  ]);
  return { child: run.child, output: run.output, first, exited: run.exited };
}

test('npm start serves on its defaults and prints the bootstrap password once', async (t) => {
  const dir = scratchDir('cloudplane-start-');
  const port = await freePort();
  const env = {
    CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
    PORT: String(port),
    CLOUDPLANE_SERVER_HOST: '127.0.0.1',
    CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
    CLOUDPLANE_PKI_DIR: join(dir, 'pki'),
  };
  const first = await start(env);
  t.after(() => first.child.kill('SIGKILL'));
  assert.equal(first.first, 'listening', first.output());
  const password = /one-time password: (\S+)/.exec(first.output())?.[1];
  assert.ok(password, first.output());
  const login = await call(`http://127.0.0.1:${port}`, 'POST', '/api/v1/auth/login', {
    body: { username: 'admin', password },
  });
  assert.equal(login.status, 200);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  const second = await start(env);
  t.after(() => second.child.kill('SIGKILL'));
  assert.equal(second.first, 'listening');
  assert.doesNotMatch(second.output(), /one-time password/);
  const again = await call(`http://127.0.0.1:${port}`, 'POST', '/api/v1/auth/login', {
    body: { username: 'admin', password },
  });
  assert.equal(again.status, 200);
  second.child.kill('SIGTERM');
  await second.exited;
});

test('a bad configuration stops the start with a message naming the key', async () => {
  const run = await start({ CLOUDPLANE_SERVER_PORT: 'eighty' });
  assert.equal(run.first, 2);
  assert.match(run.output(), /CLOUDPLANE_SERVER_PORT: expected a number/);
});
