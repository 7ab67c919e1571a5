import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, envNameFor, loadConfig } from '../../src/config/load.ts';
import { checkDriverChoices, createKindRegistry } from '../../src/resources/kinds/registry.ts';
import { scratchDir } from '../support/scratch.ts';

const writeYaml = async (text: string) => {
  const file = join(scratchDir('cloudplane-config-'), 'cloudplane.yaml');
  await writeFile(file, text);
  return file;
};

test('with no file and no environment, the embedded defaults apply', () => {
  const config = loadConfig({ env: {} });
  assert.equal(config.server.port, 8080);
  assert.equal(config.database.url, '');
  assert.equal(config.database.sqlitePath, './data/cloudplane.db');
  assert.equal(config.bootstrap.adminUsername, 'admin');
});

test('a YAML file overrides the defaults, and the environment overrides the file', async () => {
  const file = await writeYaml('server:\n  port: 9000\n  host: 127.0.0.1\nlog:\n  level: warn\n');
  const fromFile = loadConfig({ file, env: {} });
  assert.equal(fromFile.server.port, 9000);
  assert.equal(fromFile.log.level, 'warn');
  const fromEnv = loadConfig({ file, env: { CLOUDPLANE_SERVER_PORT: '9100', DATABASE_URL: 'postgres://db/x' } });
  assert.equal(fromEnv.server.port, 9100);
  assert.equal(fromEnv.server.host, '127.0.0.1');
  assert.equal(fromEnv.database.url, 'postgres://db/x');
});

test('CLOUDPLANE_CONFIG names the file', async () => {
  const file = await writeYaml('api:\n  defaultPageSize: 7\n');
  assert.equal(loadConfig({ env: { CLOUDPLANE_CONFIG: file } }).api.defaultPageSize, 7);
});

test('environment names follow the key path', () => {
  assert.equal(envNameFor(['server', 'bodyLimitBytes']), 'CLOUDPLANE_SERVER_BODY_LIMIT_BYTES');
  assert.equal(envNameFor(['database', 'url']), 'CLOUDPLANE_DATABASE_URL');
});

test('errors name the bad key', async () => {
  const cases: [() => unknown, RegExp][] = [
    [() => loadConfig({ env: { CLOUDPLANE_SERVER_PORT: 'eighty' } }), /CLOUDPLANE_SERVER_PORT/],
    [() => loadConfig({ env: { PORT: '70000' } }), /server\.port/],
    [() => loadConfig({ env: { CLOUDPLANE_LOG_LEVEL: 'loud' } }), /log\.level/],
  ];
  for (const [load, message] of cases)
    assert.throws(load, (error: Error) => error instanceof ConfigError && message.test(error.message));
  const unknown = await writeYaml('server:\n  prot: 80\n');
  assert.throws(() => loadConfig({ file: unknown, env: {} }), /server\.prot/);
  const notMapping = await writeYaml('- a\n- b\n');
  assert.throws(() => loadConfig({ file: notMapping, env: {} }), /mapping/);
  assert.throws(() => loadConfig({ file: '/nonexistent/cloudplane.yaml', env: {} }), /cannot read config file/);
});

test('engine.drivers takes only registered kinds and known drivers', async () => {
  assert.deepEqual(
    loadConfig({ env: { CLOUDPLANE_ENGINE_DRIVERS: '{"job":"slurm","service":"external"}' } }).engine.drivers,
    { job: 'slurm', service: 'external' },
  );
  assert.throws(
    () =>
      checkDriverChoices(
        createKindRegistry(),
        loadConfig({ env: { CLOUDPLANE_ENGINE_DRIVERS: '{"spaceship":"local"}' } }).engine.drivers,
      ),
    (error: Error) =>
      error instanceof ConfigError &&
      /"engine\.drivers\.spaceship": unknown key; expected one of .*\bjob\b/.test(error.message),
  );
  const badDriver = await writeYaml('engine:\n  drivers:\n    job: kubernetes\n');
  assert.throws(
    () => loadConfig({ file: badDriver, env: {} }),
    (error: Error) =>
      error instanceof ConfigError &&
      /"engine\.drivers\.job": expected one of local, external, slurm/.test(error.message),
  );
});

test('engine.purgeDeletedAfterSeconds defaults to a week; 0 means never, negative is refused', () => {
  assert.equal(loadConfig({ env: {} }).engine.purgeDeletedAfterSeconds, 604800);
  assert.equal(
    loadConfig({ env: { CLOUDPLANE_ENGINE_PURGE_DELETED_AFTER_SECONDS: '0' } }).engine.purgeDeletedAfterSeconds,
    0,
  );
  assert.throws(
    () => loadConfig({ env: { CLOUDPLANE_ENGINE_PURGE_DELETED_AFTER_SECONDS: '-1' } }),
    /engine\.purgeDeletedAfterSeconds/,
  );
  assert.throws(
    () => loadConfig({ env: { CLOUDPLANE_ENGINE_PURGE_DELETED_AFTER_SECONDS: '1.5' } }),
    /engine\.purgeDeletedAfterSeconds/,
  );
});

test('a mistyped CLOUDPLANE_* variable is refused, naming the variable of the closest key', () => {
  assert.throws(
    () => loadConfig({ env: { CLOUDPLANE_SERVER_PROT: '9000' } }),
    (error: Error) =>
      error instanceof ConfigError &&
      error.message === 'unknown environment variable CLOUDPLANE_SERVER_PROT: did you mean CLOUDPLANE_SERVER_PORT?',
  );
  assert.throws(
    () => loadConfig({ env: { CLOUDPLANE_DIALECTS_CONCERTIM_JWT_SECRT: 'x' } }),
    /did you mean CLOUDPLANE_DIALECTS_CONCERTIM_JWT_SECRET\?/,
  );
});

test('the CLI, test, CI and benchmark variables and those given to local processes are not configuration, and allowed', () => {
  const env = {
    CLOUDPLANE_URL: 'http://127.0.0.1:8080',
    CLOUDPLANE_TOKEN: 't',
    CLOUDPLANE_CONFIG_DIR: '/tmp/x',
    CLOUDPLANE_TEST_POSTGRES_URL: 'postgres://db/x',
    CLOUDPLANE_TEST_ANYTHING: '1',
    CLOUDPLANE_BENCH_POSTGRES_URL: 'postgres://db/y',
    CLOUDPLANE_SLURM_DIR: '/tmp/slurm',
    CLOUDPLANE_JOB_ID: 'j',
    CLOUDPLANE_INSTANCE_INDEX: '0',
  };
  assert.equal(loadConfig({ env }).server.port, 8080);
});
