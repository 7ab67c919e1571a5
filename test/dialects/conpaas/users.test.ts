// POST /new_user, /login, /get_user_certs: the seed's user cases, its messages, and credit as a billing balance.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { conpaasCall, forEachConpaasBackend, unzip, type ConpaasServer } from './support.ts';

const fields = ['username', 'fname', 'lname', 'email', 'affiliation', 'password', 'credit', 'uuid'];

const newUserForm = (username: string, changes: Record<string, string | undefined> = {}) => {
  const form: Record<string, string | undefined> = {
    username,
    fname: 'Ada',
    lname: 'Lovelace',
    email: `${username}@example.org`,
    affiliation: 'VU',
    password: 'p4ss-word',
    credit: '20',
    uuid: '<none>',
    ...changes,
  };
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined)) as Record<string, string>;
};

const newUser = (server: ConpaasServer, username: string, changes: Record<string, string | undefined> = {}) =>
  conpaasCall(server, '/new_user', { form: newUserForm(username, changes) });

forEachConpaasBackend('ConPaaS users', (server) => {
  test('new_user answers the user dict, with its credit and no password hash', async () => {
    const response = await newUser(server(), 'ada');
    assert.equal(response.status, 200);
    assert.match(response.contentType, /^application\/json/);
    const { uid, created, ...rest } = response.body;
    assert.ok(Number.isInteger(uid) && uid > 0, `uid ${uid}`);
    assert.ok(!Number.isNaN(Date.parse(created)));
    assert.deepEqual(rest, {
      username: 'ada',
      fname: 'Ada',
      lname: 'Lovelace',
      email: 'ada@example.org',
      affiliation: 'VU',
      password: null,
      credit: 20,
      uuid: '',
    });
  });

  test('the password is kept only as an scrypt hash, never as MD5', async () => {
    const row = await server()
      .app.ctx.store.db.selectFrom('users')
      .selectAll()
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash!, /^scrypt\$/);
    const md5 = createHash('md5').update('p4ss-word').digest('hex');
    assert.ok(!JSON.stringify(row).includes(md5), 'no MD5 of the password is stored');
  });

  test('each missing or empty field is named, in the director order', async () => {
    for (const [index, field] of fields.entries()) {
      const missing = Object.fromEntries(fields.slice(index).map((f) => [f, undefined]));
      const response = await newUser(server(), 'nobody', missing);
      assert.deepEqual(response.body, { error: true, msg: `${field} is a required field` });
      const empty = await newUser(server(), 'nobody', { [field]: '' });
      assert.deepEqual(empty.body, { error: true, msg: `${field} is a required field` });
    }
  });

  test('a taken username is refused, whoever made it', async () => {
    assert.deepEqual((await newUser(server(), 'ada')).body, { error: true, msg: 'Username "ada" already taken' });
    assert.deepEqual((await newUser(server(), 'admin')).body, { error: true, msg: 'Username "admin" already taken' });
  });

  test('credit must be a whole number from 0 to maxCredit, with the director messages', async () => {
    assert.deepEqual((await newUser(server(), 'bad1', { credit: 'ten' })).body, {
      error: true,
      msg: 'Required credit "ten" is not a valid integer.',
    });
    assert.deepEqual((await newUser(server(), 'bad2', { credit: '1.5' })).body, {
      error: true,
      msg: 'Required credit "1.5" is not a valid integer.',
    });
    assert.deepEqual((await newUser(server(), 'bad3', { credit: '-1' })).body, {
      error: true,
      msg: 'Required credit "-1" cannot be a negative integer.',
    });
    assert.deepEqual((await newUser(server(), 'bad4', { credit: '51' })).body, {
      error: true,
      msg: 'Cannot allocate 51 credit for a new user (max credit 50).',
    });
    assert.equal((await newUser(server(), 'max', { credit: '50' })).body.credit, 50);
    assert.equal((await newUser(server(), 'zero', { credit: '0' })).body.credit, 0);
    const refused = await server().call('GET', '/api/v1/users?limit=500', { token: server().adminToken });
    assert.ok(
      !refused.body.items.some((u: { username: string }) => u.username.startsWith('bad')),
      'refused users were not created',
    );
  });

  test('the credit is a grant on the user billing account, seen on the native API', async () => {
    const login = await server().call('POST', '/api/v1/auth/login', {
      body: { username: 'ada', password: 'p4ss-word' },
    });
    const account = await server().call('GET', '/api/v1/billing/accounts/me', { token: login.body.token.token });
    assert.equal(account.body.balance, 20);
    const ledger = await server().call('GET', '/api/v1/billing/accounts/me/ledger', { token: login.body.token.token });
    assert.deepEqual(
      ledger.body.items.map((e: { type: string; amount: number }) => [e.type, e.amount]),
      [['grant', 20]],
    );
  });

  test('usernames and e-mails follow the core rules', async () => {
    const username = await newUser(server(), 'has space');
    assert.equal(username.body.error, true);
    assert.match(username.body.msg, /^Error upon user creation: username must be /);
    assert.deepEqual((await newUser(server(), 'mailless', { email: 'nope' })).body, {
      error: true,
      msg: 'Error upon user creation: "nope" is not an e-mail address',
    });
  });

  test('login answers the user dict for the right password and false otherwise', async () => {
    const ok = await conpaasCall(server(), '/login', { form: { username: 'ada', password: 'p4ss-word' } });
    assert.equal(ok.body.username, 'ada');
    assert.equal(ok.body.credit, 20);
    assert.equal(ok.body.password, null);
    const attempts: Record<string, string>[] = [
      { username: 'ada', password: 'wrong' },
      { username: 'ghost', password: 'p4ss-word' },
      { username: 'ada' },
      {},
    ];
    for (const form of attempts) {
      const refused = await conpaasCall(server(), '/login', { form });
      assert.equal(refused.status, 200);
      assert.equal(refused.body, false, JSON.stringify(form));
    }
  });

  test('parameters come from the query string as well as the form, and a JSON body is ignored', async () => {
    const query = await conpaasCall(server(), '/login?username=ada&password=p4ss-word');
    assert.equal(query.body.username, 'ada');
    const json = await conpaasCall(server(), '/new_user', { json: newUserForm('jsonuser') });
    assert.deepEqual(json.body, { error: true, msg: 'username is a required field' });
  });

  test('a uuid logs in instead of a password; <none> is no uuid', async () => {
    const created = await newUser(server(), 'fed', { uuid: 'b5c6e2f0-federated' });
    assert.equal(created.body.uuid, 'b5c6e2f0-federated');
    const login = await conpaasCall(server(), '/login', { form: { uuid: 'b5c6e2f0-federated' } });
    assert.equal(login.body.username, 'fed');
    assert.equal((await conpaasCall(server(), '/login', { form: { uuid: '<none>' } })).body, false);
    assert.equal((await conpaasCall(server(), '/login', { form: { uuid: 'unknown' } })).body, false);
  });

  test('native users log in too and get a uid of their own', async () => {
    await server().user('native-nora');
    const login = await conpaasCall(server(), '/login', {
      form: { username: 'native-nora', password: 'native-nora-password' },
    });
    assert.ok(Number.isInteger(login.body.uid));
    assert.deepEqual(
      { ...login.body, uid: 0, created: '' },
      {
        uid: 0,
        username: 'native-nora',
        fname: '',
        lname: '',
        email: 'native-nora@example.org',
        affiliation: '',
        password: null,
        credit: 0,
        created: '',
        uuid: '',
      },
    );
    const again = await conpaasCall(server(), '/login', {
      form: { username: 'native-nora', password: 'native-nora-password' },
    });
    assert.equal(again.body.uid, login.body.uid);
  });

  test('get_user_certs answers a zip of key.pem, cert.pem and ca_cert.pem with the ConPaaS subject', async () => {
    const response = await conpaasCall(server(), '/get_user_certs', {
      form: { username: 'ada', password: 'p4ss-word' },
    });
    assert.equal(response.status, 200);
    assert.equal(response.contentType, 'application/zip');
    assert.equal(response.headers['content-disposition'], 'attachment; filename=certs.zip');
    const files = unzip(response.raw);
    assert.deepEqual(Object.keys(files).sort(), ['ca_cert.pem', 'cert.pem', 'key.pem']);
    assert.equal(files['ca_cert.pem'], server().caPem);
    const subject = new X509Certificate(files['cert.pem']).subject;
    assert.match(subject, /role=user/);
    assert.match(subject, /serviceLocator=0/);
    assert.match(subject, /CN=ada/);
    assert.match(subject, /O=Contrail/);
    assert.match(subject, /emailAddress=ada@example.org/);
  });

  test('user certificates name the user by the integer uid, as the director did, and still map back to the cloudplane user', async () => {
    const uid = (await conpaasCall(server(), '/login', { form: { username: 'ada', password: 'p4ss-word' } })).body.uid;
    const files = unzip(
      (await conpaasCall(server(), '/get_user_certs', { form: { username: 'ada', password: 'p4ss-word' } })).raw,
    );
    const subject = new X509Certificate(files['cert.pem']).subject;
    assert.match(subject, new RegExp(`^UID=${uid}$`, 'm'));
    assert.match(subject, /^serviceLocator=0$/m);
    const user = { key: files['key.pem'], cert: files['cert.pem'] };
    assert.equal((await conpaasCall(server(), '/list', { method: 'GET', credentials: user })).status, 200);
    const identity = await conpaasCall(server(), '/api/v1/pki/identity', { method: 'GET', credentials: user });
    const ada = await server()
      .app.ctx.store.db.selectFrom('users')
      .select('id')
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      [identity.body.kind, identity.body.userId],
      ['user', ada.id],
      "the CA's register maps the certificate to the user's id",
    );
  });

  test('get_user_certs with bad credentials is false; /getcerts is the same route, by GET too', async () => {
    const refused = await conpaasCall(server(), '/get_user_certs', { form: { username: 'ada', password: 'nope' } });
    assert.equal(refused.body, false);
    const viaGet = await conpaasCall(server(), '/getcerts?username=ada&password=p4ss-word', { method: 'GET' });
    assert.deepEqual(Object.keys(unzip(viaGet.raw)).sort(), ['ca_cert.pem', 'cert.pem', 'key.pem']);
  });
});
