// Bodies no ConPaaS client sends, on every kind of ConPaaS route: a 400 in the dialect's JSON form, or the body ignored, never a 5xx.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  managerCredentials,
  type CallOptions,
  type Credentials,
} from './support.ts';

const deepJson = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const boundary = '----cut';

/** What a body is: refused by the dialect as malformed, or ignored as Flask ignored any body that is not a form. */
type Outcome = 'refused' | 'ignored';

const bodies: [title: string, raw: { body: string; type?: string }, outcome: Outcome][] = [
  ['multipart/form-data without a boundary', { body: 'username=x', type: 'multipart/form-data' }, 'refused'],
  [
    'multipart/form-data cut off before its end',
    {
      body: `--${boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\nx`,
      type: `multipart/form-data; boundary=${boundary}`,
    },
    'refused',
  ],
  ['multipart/form-data that is empty', { body: '', type: `multipart/form-data; boundary=${boundary}` }, 'ignored'],
  [
    'multipart/form-data with a charset nobody knows',
    { body: '', type: 'multipart/form-data; charset=latin-9' },
    'refused',
  ],
  ['JSON nested 5,000 deep', { body: deepJson, type: 'application/json' }, 'ignored'],
  [
    'JSON in a charset nobody knows',
    { body: '{"username":"x"}', type: 'application/json; charset=latin-9' },
    'ignored',
  ],
  ['truncated JSON', { body: '{"username":', type: 'application/json' }, 'ignored'],
  // The lead's root parser rule treats an empty JSON body as none; this dialect never parsed JSON, so it already does.
  ['an empty JSON body', { body: '', type: 'application/json' }, 'ignored'],
  [
    'a form in a charset nobody knows',
    { body: 'x=1', type: 'application/x-www-form-urlencoded; charset=latin-9' },
    'ignored',
  ],
  [
    'a form nested 5,000 deep',
    { body: `${'a['.repeat(5000)}=1`, type: 'application/x-www-form-urlencoded' },
    'ignored',
  ],
  ['an empty form', { body: '', type: 'application/x-www-form-urlencoded' }, 'ignored'],
  ['an empty body without a content type', { body: '' }, 'ignored'],
];

forEachConpaasBackend('ConPaaS malformed input', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  let manager: Credentials;
  before(async () => {
    ada = await conpaasUser(server(), 10, 'bad');
    manager = await managerCredentials(
      server(),
      (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body,
    );
  });

  /** One route of each family: no certificate, a user certificate, a manager certificate, a file upload. */
  const routes: [path: string, method: string, who: () => Omit<CallOptions, 'raw'>][] = [
    ['/login', 'POST', () => ({})],
    ['/new_user', 'POST', () => ({})],
    ['/available_services', 'GET', () => ({})],
    ['/list', 'POST', () => ({ credentials: ada.credentials })],
    ['/callback/decrementUserCredit.php', 'POST', () => ({ credentials: manager })],
    ['/ca/get_cert.php', 'POST', () => ({ credentials: manager })],
  ];

  for (const [path, method, who] of routes) {
    for (const [title, raw, refusedOnPost] of bodies) {
      // Bodies of GET requests are not read at all, as Werkzeug reads no form from them.
      const outcome: Outcome = method === 'GET' ? 'ignored' : refusedOnPost;
      test(`${method} ${path} with ${title}: ${outcome === 'refused' ? "the dialect's 400" : 'answered as if no body was sent'}`, async () => {
        const answer = await conpaasCall(server(), path, { method, raw, ...who() });
        if (outcome === 'refused') {
          assert.equal(answer.status, 400, answer.raw.toString());
          assert.match(answer.contentType, /^application\/json/);
          assert.equal(answer.body.error, true);
          assert.equal(typeof answer.body.msg, 'string');
          return;
        }
        const bare = await conpaasCall(server(), path, { method, ...who() });
        assert.equal(answer.status, bare.status, answer.raw.toString());
        assert.ok(answer.status < 500);
        assert.deepEqual(answer.body, bare.body);
      });
    }
  }

  test('a refused body never reaches authentication: no certificate is needed to learn it is malformed', async () => {
    const answer = await conpaasCall(server(), '/start/tcp-echo', { raw: { body: 'x', type: 'multipart/form-data' } });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, true);
  });
});
