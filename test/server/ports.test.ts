// A start that cannot listen says which key moves the port, before anything is written; a mistyped variable is refused.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { freePort } from '../support/process-server.ts';
import { runMain } from '../support/main-process.ts';
import { scratchDir } from '../support/scratch.ts';

async function occupiedPort(t: TestContext): Promise<number> {
  const port = await freePort();
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  t.after(() => holder.close());
  return port;
}

async function freshEnv() {
  const dir = scratchDir('cloudplane-ports-');
  return {
    dir,
    env: {
      CLOUDPLANE_SERVER_HOST: '127.0.0.1',
      PORT: String(await freePort()),
      CLOUDPLANE_DATABASE_SQLITE_PATH: join(dir, 'db.sqlite'),
      CLOUDPLANE_ENGINE_STATE_DIR: join(dir, 'state'),
      CLOUDPLANE_PKI_DIR: join(dir, 'pki'),
      CLOUDPLANE_DIALECTS_CONCERTIM_PORT: '0',
      CLOUDPLANE_DIALECTS_CONCERTIM_HOST: '127.0.0.1',
      CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
    },
  };
}

/** Exit code 2, the message, no stack, and nothing written: no database, no state, no CA. */
async function assertRefusedBeforeAnything(run: ReturnType<typeof runMain>, dir: string, message: RegExp) {
  assert.equal(await run.exited, 2, run.output());
  assert.match(run.output(), message);
  assert.doesNotMatch(run.output(), /\n\s+at /, 'no stack trace');
  for (const written of ['db.sqlite', 'state', 'pki']) assert.ok(!existsSync(join(dir, written)), `${written} exists`);
}

test('a main port in use names server.port and its variables, before migrations run', async (t) => {
  const { dir, env } = await freshEnv();
  const port = await occupiedPort(t);
  const run = runMain({ ...env, PORT: String(port) });
  await assertRefusedBeforeAnything(
    run,
    dir,
    new RegExp(
      `cloudplane: the main listener cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use; set server\\.port in the config file, or CLOUDPLANE_SERVER_PORT \\(or PORT\\), to a free port`,
    ),
  );
});

test("Concertim's port in use names dialects.concertim.port", async (t) => {
  const { dir, env } = await freshEnv();
  const port = await occupiedPort(t);
  const run = runMain({ ...env, CLOUDPLANE_DIALECTS_CONCERTIM_PORT: String(port) });
  await assertRefusedBeforeAnything(
    run,
    dir,
    /Concertim's listener cannot listen on .*already in use; set dialects\.concertim\.port .*CLOUDPLANE_DIALECTS_CONCERTIM_PORT \(0: only the main port\)/,
  );
});

test('the HTTPS port in use names pki.https.port', async (t) => {
  const { dir, env } = await freshEnv();
  const port = await occupiedPort(t);
  const run = runMain({ ...env, CLOUDPLANE_PKI_HTTPS_ENABLED: 'true', CLOUDPLANE_PKI_HTTPS_PORT: String(port) });
  await assertRefusedBeforeAnything(
    run,
    dir,
    /the HTTPS listener cannot listen on .*already in use; set pki\.https\.port .*CLOUDPLANE_PKI_HTTPS_PORT/,
  );
});

test('two listeners given one port are refused, naming both keys', async () => {
  const { dir, env } = await freshEnv();
  const run = runMain({ ...env, CLOUDPLANE_DIALECTS_CONCERTIM_PORT: env.PORT });
  await assertRefusedBeforeAnything(
    run,
    dir,
    new RegExp(`server\\.port and dialects\\.concertim\\.port are both ${env.PORT}`),
  );
});

test('a mistyped CLOUDPLANE_* variable stops the start, naming the closest one', async () => {
  const { dir, env } = await freshEnv();
  const run = runMain({ ...env, CLOUDPLANE_ENGINE_WOKRERS: '4' });
  await assertRefusedBeforeAnything(
    run,
    dir,
    /cloudplane: unknown environment variable CLOUDPLANE_ENGINE_WOKRERS: did you mean CLOUDPLANE_ENGINE_WORKERS\?/,
  );
});
