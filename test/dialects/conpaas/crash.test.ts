import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { crashSite, type CrashSite } from '../../support/crash.ts';
import { freePort, type ChildServer } from '../../support/process-server.ts';
import { killSupervisedProcesses } from '../../support/processes.ts';
import { conpaasCall, unzip, type ConpaasServer, type Credentials } from './support.ts';

/** A ConPaaS client of a server process: its plain and HTTPS listeners, trusting the CA its user's zip holds. */
async function cpsOf(
  server: ChildServer,
  httpsPort: number,
  username: string,
): Promise<{ client: ConpaasServer; credentials: Credentials }> {
  const plain = { url: server.url, httpsUrl: `https://127.0.0.1:${httpsPort}`, caPem: '' } as ConpaasServer;
  const password = `${username}-secret`;
  const files = unzip((await conpaasCall(plain, '/get_user_certs', { form: { username, password } })).raw);
  return {
    client: { ...plain, caPem: files['ca_cert.pem'] },
    credentials: { key: files['key.pem'], cert: files['cert.pem'] },
  };
}

/** /new_user's form for a user whose password cpsOf knows. */
const newUser = (username: string) => ({
  username,
  fname: 'Ada',
  lname: 'Lovelace',
  email: 'ada@example.org',
  affiliation: 'VU',
  password: `${username}-secret`,
  credit: '20',
  uuid: '<none>',
});

const httpsOn = (port: number) => ({
  CLOUDPLANE_PKI_HTTPS_ENABLED: 'true',
  CLOUDPLANE_PKI_HTTPS_HOST: '127.0.0.1',
  CLOUDPLANE_PKI_HTTPS_PORT: String(port),
});

for (const backend of backends()) {
  describe(`ConPaaS: kill -9 between a start's two writes leaves neither half [${backend}]`, () => {
    let site: CrashSite;
    after(() => site?.close());

    test('a service killed after its sid is reserved and before its resource is written leaves no sid and no service', async () => {
      site = await crashSite(backend);
      const httpsPort = await freePort();
      const https = httpsOn(httpsPort);
      const doomed = await site.startDoomed('insert into "resources"', 'service', https);
      const plain = { url: doomed.url } as ConpaasServer;
      assert.equal((await conpaasCall(plain, '/new_user', { form: newUser('crashing') })).status, 200);
      const { client, credentials } = await cpsOf(doomed, httpsPort, 'crashing');
      await assert.rejects(conpaasCall(client, '/start/http-static', { credentials }));
      await doomed.kill();

      assert.equal(await site.count(`select count(*) as n from conpaas_services`), 0, 'no sid without its service');
      assert.equal(
        await site.count(`select count(*) as n from resources where kind = 'service'`),
        0,
        'no service without its sid',
      );
      const server = await site.start(https);
      const started = await conpaasCall(client, '/start/http-static', { credentials });
      assert.equal(started.status, 200, JSON.stringify(started.body));
      assert.equal(typeof started.body.sid, 'number', JSON.stringify(started.body));
      assert.equal(await site.count(`select count(*) as n from conpaas_services`), 1);
      await server.kill();
      killSupervisedProcesses(site.env.CLOUDPLANE_ENGINE_STATE_DIR);
    });
  });
}

for (const backend of backends()) {
  describe(`ConPaaS: kill -9 between /createapp's two writes leaves neither half [${backend}]`, () => {
    let site: CrashSite;
    after(() => site?.close());

    test('an application killed after its aid is written and before its namespace is leaves no aid and no namespace', async () => {
      site = await crashSite(backend);
      const httpsPort = await freePort();
      // The default application (aid 1) is made first and kept; the process dies writing the second one's namespace.
      const doomed = await site.startDoomed('insert into "namespaces"', 'conpaas-app-2', httpsOn(httpsPort));
      const plain = { url: doomed.url } as ConpaasServer;
      assert.equal((await conpaasCall(plain, '/new_user', { form: newUser('appmaker') })).status, 200);
      const { client, credentials } = await cpsOf(doomed, httpsPort, 'appmaker');
      const values = { username: 'appmaker', password: 'appmaker-secret' };
      await assert.rejects(conpaasCall(client, '/createapp', { form: { ...values, name: 'shop' }, credentials }));
      await doomed.kill();

      assert.equal(await site.count(`select count(*) as n from conpaas_apps`), 1, 'only the default application');
      assert.equal(
        await site.count(`select count(*) as n from namespaces`),
        1,
        "only the default application's namespace",
      );
      assert.equal(await site.count(`select count(*) as n from namespaces where name = 'conpaas-app-2'`), 0);

      const server = await site.start(httpsOn(httpsPort));
      const created = await conpaasCall(client, '/createapp', { form: { ...values, name: 'shop' }, credentials });
      assert.equal(created.body.name, 'shop', JSON.stringify(created.body));
      const listed = await conpaasCall(client, '/listapp', { form: values, credentials });
      assert.deepEqual(
        listed.body.map((app: { name: string }) => app.name),
        ['New Application', 'shop'],
      );
      assert.equal(
        await site.count(
          `select count(*) as n from conpaas_apps a join namespaces n on n.id = a.namespace_id and n.name = 'conpaas-app-' || a.aid`,
        ),
        2,
        'each aid with its namespace',
      );
      await server.kill();
    });
  });
}
