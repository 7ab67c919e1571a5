// The real ConPaaS clients' calls replayed as they send them: the cps command line client and a service's manager
// (ConPaaS-team/conpaas, seed era at 715234c8, 2013-03, and what master still sends the same way).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { makeCsr } from '../../pki/support.ts';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  managerCredentials,
  unzip,
  type ConpaasServer,
  type Credentials,
} from './support.ts';

/** urllib.urlencode(data) after __callapi_creds added the saved username and password to every call. */
const withCredentials = (user: { username: string; password: string }, data: Record<string, string> = {}) => ({
  ...data,
  username: user.username,
  password: user.password,
});

/** conpaas/core/https/client.py _encode_multipart_formdata: its fixed boundary, fields as str(), CRLF joins. */
function managerMultipart(
  params: Record<string, string | number>,
  files: [name: string, filename: string, value: string][] = [],
) {
  const boundary = '----------_BoUnDaRy_StRiNg_$';
  const lines: string[] = [];
  for (const [key, value] of Object.entries(params))
    lines.push(`--${boundary}`, `Content-Disposition: form-data; name="${key}"`, '', String(value));
  for (const [key, filename, value] of files)
    lines.push(
      `--${boundary}`,
      `Content-Disposition: form-data; name="${key}"; filename="${filename}"`,
      'Content-Type: application/octet-stream',
      '',
      value,
    );
  lines.push(`--${boundary}--`, '');
  return { body: lines.join('\r\n'), type: `multipart/form-data; boundary=${boundary}` };
}

/** https.client.https_post(host, port, uri, params, files) with the manager's certificate: the body as json.loads reads it. */
const managerPost = (
  server: ConpaasServer,
  manager: Credentials,
  uri: string,
  params: Record<string, string | number>,
  files: [string, string, string][] = [],
) => conpaasCall(server, uri, { raw: managerMultipart(params, files), credentials: manager });

forEachConpaasBackend('the cps client and a manager, replayed', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  before(async () => {
    ada = await conpaasUser(server(), 10, 'cps');
  });

  test('cps credentials: the director check, login and getcerts, all without a client certificate (BaseClient.credentials)', async () => {
    // __callapi_creds('available_services', post=False, use_certs=False): a GET with the empty credentials in the query.
    const check = await conpaasCall(server(), '/available_services?username=&password=', {
      method: 'GET',
      https: true,
    });
    assert.equal(check.status, 200);
    assert.ok(Array.isArray(check.body), 'assert type(available_services) is list');
    // callapi('login', True, {}, use_certs=False): truthy means "Authentication succeeded".
    const login = await conpaasCall(server(), '/login', { form: withCredentials(ada), https: true });
    assert.equal(login.body.username, ada.username);
    // getcerts(): callapi('getcerts', True, {}, use_certs=False), then zipfile.ZipFile(StringIO(res)).extractall.
    const certs = await conpaasCall(server(), '/getcerts', { form: withCredentials(ada), https: true });
    assert.deepEqual(Object.keys(unzip(certs.raw)).sort(), ['ca_cert.pem', 'cert.pem', 'key.pem']);
  });

  test('cps credentials: a wrong password is a falsy answer, so cps asks again ("Authentication failure")', async () => {
    const login = await conpaasCall(server(), '/login', {
      form: { username: ada.username, password: 'wrong' },
      https: true,
    });
    assert.equal(login.body, false);
  });

  test('cps create, list, rename, terminate, as the 2013 client sends them (BaseClient.create, list, rename, terminate)', async () => {
    const services = (
      await conpaasCall(server(), '/available_services', {
        method: 'POST',
        form: withCredentials(ada),
        credentials: ada.credentials,
      })
    ).body;
    assert.ok(services.includes('tcp-echo'), 'main(): service_type in self.available_services(), by POST');
    const res = (
      await conpaasCall(server(), '/start/tcp-echo', { form: withCredentials(ada), credentials: ada.credentials })
    ).body;
    // print "Creating new manager on " + res['manager']: a str, or the client dies with a TypeError.
    assert.equal(typeof res.manager, 'string');
    assert.ok(Number.isInteger(res.sid));
    const listed = (await conpaasCall(server(), '/list', { form: withCredentials(ada), credentials: ada.credentials }))
      .body;
    const row = listed.find((service: { sid: number }) => String(service.sid) === String(res.sid));
    // prettytable(('type', 'sid', 'vmid', 'name', 'manager'), services) reads each of these of every row.
    for (const field of ['type', 'sid', 'vmid', 'name', 'manager', 'state']) assert.ok(field in row, field);
    assert.equal(
      (
        await conpaasCall(server(), `/rename/${res.sid}`, {
          form: withCredentials(ada, { name: 'web' }),
          credentials: ada.credentials,
        })
      ).body,
      true,
    );
    assert.equal(
      (await conpaasCall(server(), `/stop/${res.sid}`, { form: withCredentials(ada), credentials: ada.credentials }))
        .body,
      true,
    );
  });

  test('cps create of a type the director does not offer: {"error": true, "msg"}, which __callapi_creds raises as the message', async () => {
    const res = (
      await conpaasCall(server(), '/start/java', { form: withCredentials(ada), credentials: ada.credentials })
    ).body;
    assert.deepEqual(res, { error: true, msg: 'Unknown service type: java' });
  });

  test('cps available clouds and version, as master sends them: GET with the credentials in the query', async () => {
    const query = `?${new URLSearchParams(withCredentials(ada))}`;
    assert.deepEqual(
      (await conpaasCall(server(), `/available_clouds${query}`, { method: 'GET', credentials: ada.credentials })).body,
      ['default'],
    );
    // simplejson.loads fails on the text and callapi returns it as it is: "ConPaaS director version <text>".
    const version = await conpaasCall(server(), `/version${query}`, { method: 'GET', credentials: ada.credentials });
    assert.equal(version.status, 200);
    assert.match(version.body, /^cloudplane \d+\.\d+\.\d+$/);
  });

  test('the manager: its agent certificate, credit and out-of-credit termination, as core/controller.py posts them', async () => {
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const manager = await managerCredentials(server(), started);
    // _get_certificate: https_post(..., files=[('csr', 'csr.pem', pem)]), the answer used as the certificate.
    const csr = await makeCsr([['CN', 'ConPaaS']]);
    const cert = await managerPost(server(), manager, '/ca/get_cert.php', {}, [['csr', 'csr.pem', csr.pem]]);
    assert.match(cert.body, /^-----BEGIN CERTIFICATE-----/);
    // deduct_credit: {'sid', 'decrement'}; `not json.loads(body)['error']` is enough credit.
    const charged = await managerPost(server(), manager, '/callback/decrementUserCredit.php', {
      sid: started.sid,
      decrement: 3,
    });
    assert.equal(JSON.parse(charged.raw.toString()).error, false);
    const overdrawn = await managerPost(server(), manager, '/callback/decrementUserCredit.php', {
      sid: started.sid,
      decrement: 1000,
    });
    assert.equal(JSON.parse(overdrawn.raw.toString()).error, true);
    // __force_terminate_service: {'sid'} until `not obj['error']`, at most 10 times; master's https_post adds service_id=0.
    const terminated = await managerPost(server(), manager, '/callback/terminateService.php', {
      sid: started.sid,
      service_id: 0,
    });
    assert.equal(JSON.parse(terminated.raw.toString()).error, false);
    const listed = (await conpaasCall(server(), '/list', { credentials: ada.credentials })).body;
    assert.ok(!listed.some((service: { sid: number }) => service.sid === started.sid), 'the service is stopped');
    // A retry after the service is gone ends the manager's loop as well.
    const again = await managerPost(server(), manager, '/callback/terminateService.php', { sid: started.sid });
    assert.equal(JSON.parse(again.raw.toString()).error, false);
  });

  test('the manager may terminate only its own service: another sid is {"error": true}, which it can read', async () => {
    const mine = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const other = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const manager = await managerCredentials(server(), mine);
    const refused = await managerPost(server(), manager, '/callback/terminateService.php', { sid: other.sid });
    assert.deepEqual(JSON.parse(refused.raw.toString()), { error: true });
    const listed = (await conpaasCall(server(), '/list', { credentials: ada.credentials })).body;
    assert.ok(
      listed.some((service: { sid: number }) => service.sid === other.sid),
      'the other service still runs',
    );
  });

  test("the front-end's user calls: /user_config without the password, /user_credit as a number", async () => {
    const config = (await conpaasCall(server(), '/user_config', { method: 'GET', credentials: ada.credentials })).body;
    assert.equal(config.username, ada.username);
    assert.ok(!('password' in config));
    const credit = (await conpaasCall(server(), '/user_credit', { method: 'GET', credentials: ada.credentials })).body;
    assert.equal(typeof credit, 'number');
    assert.equal(credit, (await conpaasCall(server(), '/login', { form: withCredentials(ada) })).body.credit);
  });
});
