import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('billing: accounts and the credit ledger', (server) => {
  let alice = { id: '', token: '' };
  let bob = { id: '', token: '' };
  const admin = () => server().adminToken;
  const accounts = '/api/v1/billing/accounts';
  const grant = (account: string, body: unknown, token = admin()) =>
    server().call('POST', `${accounts}/${account}/grants`, { token, body });
  const debit = (account: string, body: unknown, token = admin()) =>
    server().call('POST', `${accounts}/${account}/debits`, { token, body });
  const balance = async (account: string, token = admin()) =>
    (await server().call('GET', `${accounts}/${account}`, { token })).body.balance;

  before(async () => {
    alice = await server().user('alice');
    bob = await server().user('bob');
    await server().call('POST', '/api/v1/teams', { token: alice.token, body: { name: 'lab' } });
    await server().call('POST', '/api/v1/teams/lab/members', {
      token: alice.token,
      body: { user: 'bob', role: 'member' },
    });
  });

  test('an account is created on first use with the configured currency and a zero balance', async () => {
    const mine = await server().call('GET', `${accounts}/me`, { token: alice.token });
    assert.equal(mine.status, 200);
    assert.deepEqual(
      { ...mine.body, id: undefined, createdAt: undefined },
      {
        id: undefined,
        createdAt: undefined,
        owner: { type: 'user', id: alice.id, name: 'alice' },
        currency: 'EUR',
        prepaid: false,
        balance: 0,
      },
    );
    const byName = await server().call('GET', `${accounts}/user:alice`, { token: alice.token });
    assert.equal(byName.body.id, mine.body.id);
    const team = await server().call('GET', `${accounts}/team:lab`, { token: bob.token });
    assert.equal(team.body.owner.type, 'team');
    assert.equal(team.body.owner.name, 'lab');
  });

  test('a user sees only their own account and those of their teams', async () => {
    assert.equal((await server().call('GET', `${accounts}/user:alice`, { token: bob.token })).status, 404);
    assert.equal((await server().call('GET', `${accounts}/user:${alice.id}`, { token: bob.token })).status, 404);
    await server().call('POST', '/api/v1/teams', { token: alice.token, body: { name: 'private-lab' } });
    assert.equal((await server().call('GET', `${accounts}/team:private-lab`, { token: bob.token })).status, 404);
    assert.equal((await server().call('GET', `${accounts}/team:private-lab`, { token: admin() })).status, 200);
  });

  test('only platform admins grant credit; the balance is the sum of the ledger', async () => {
    assert.equal(
      (await grant('me', { amount: 500, reason: 'self-service', reference: 'g0' }, alice.token)).status,
      403,
    );
    const first = await grant('user:alice', { amount: 500, reason: 'welcome credit', reference: 'welcome' });
    assert.equal(first.status, 201);
    assert.equal(first.body.type, 'grant');
    assert.equal(first.body.amount, 500);
    assert.equal(first.body.reason, 'welcome credit');
    await grant('user:alice', { amount: 250, reason: 'top-up', reference: 'topup-1' });
    assert.equal(await balance('me', alice.token), 750);
  });

  test('the same entry twice under one reference returns the first and never writes a second one; another amount is a 409', async () => {
    const first = await grant('user:bob', { amount: 100, reason: 'once', reference: 'only-once' });
    const again = await grant('user:bob', { amount: 100, reason: 'retried', reference: 'only-once' });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    const changed = await grant('user:bob', { amount: 999, reason: 'twice', reference: 'only-once' });
    assert.equal(changed.status, 409, changed.text);
    assert.match(changed.body.detail, /already used/);
    const racing = await Promise.all(
      Array.from({ length: 20 }, () => grant('user:bob', { amount: 7, reason: 'race', reference: 'raced' })),
    );
    assert.equal(new Set(racing.map((r) => r.body.id)).size, 1);
    assert.equal(await balance('user:bob'), 107);
    const ledger = await server().call('GET', `${accounts}/me/ledger`, { token: bob.token });
    assert.equal(ledger.body.total, 2);
  });

  test('an owner debits their own account; a debit beyond the balance is a 409 and writes nothing', async () => {
    const spent = await debit('me', { amount: 50, reason: 'service hours', reference: 'd-1' }, alice.token);
    assert.equal(spent.status, 201);
    assert.equal(spent.body.amount, -50);
    assert.equal(spent.body.type, 'debit');
    assert.equal(spent.body.actor, alice.id);
    const over = await debit('me', { amount: 701, reason: 'too much', reference: 'd-2' }, alice.token);
    assert.equal(over.status, 409);
    assert.equal(over.headers.get('content-type'), 'application/problem+json');
    assert.equal(over.body.reason, 'insufficient-credit');
    assert.equal(over.body.balance, 700);
    assert.equal(await balance('me', alice.token), 700);
    assert.equal(
      (await debit('me', { amount: 1, reason: 'x', reference: 'd-3', allowNegative: true }, alice.token)).status,
      403,
    );
    const overdraw = await debit('user:alice', {
      amount: 1000,
      reason: 'correction',
      reference: 'd-4',
      allowNegative: true,
    });
    assert.equal(overdraw.status, 201);
    assert.equal(await balance('user:alice'), -300);
  });

  test("a team member who is not its admin cannot debit the team's account", async () => {
    await grant('team:lab', { amount: 100, reason: 'project budget', reference: 'budget' });
    assert.equal((await debit('team:lab', { amount: 10, reason: 'x', reference: 'm-1' }, bob.token)).status, 403);
    assert.equal((await debit('team:lab', { amount: 10, reason: 'x', reference: 'a-1' }, alice.token)).status, 201);
  });

  test('bad input is a clear 4xx: negative or zero amounts, missing reasons, unknown or malformed accounts', async () => {
    const negative = await grant('me', { amount: -5, reason: 'x', reference: 'n' });
    assert.equal(negative.status, 400);
    assert.match(JSON.stringify(negative.body.errors), /amount/);
    assert.equal((await debit('me', { amount: 0, reason: 'x', reference: 'z' })).status, 400);
    assert.equal((await grant('me', { amount: 1.5, reason: 'x', reference: 'f' })).status, 400);
    assert.equal((await grant('me', { amount: 5, reason: '', reference: 'r' })).status, 400);
    assert.equal((await grant('me', { amount: 5, reason: 'x' })).status, 400);
    assert.equal((await grant('user:nobody', { amount: 5, reason: 'x', reference: 'u' })).status, 404);
    assert.equal((await grant('team:no-such-team', { amount: 5, reason: 'x', reference: 'u' })).status, 404);
    const malformed = await server().call('GET', `${accounts}/alice`, { token: admin() });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.detail, /user:<id\|username> or team:<id\|name>/);
    assert.equal((await server().call('GET', `${accounts}/me`)).status, 401);
  });

  test('the ledger is paged oldest first with a total count, by offset or cursor', async () => {
    for (let i = 0; i < 5; i++) await grant('user:alice', { amount: 1, reason: `page ${i}`, reference: `page-${i}` });
    const all = await server().call('GET', `${accounts}/me/ledger?limit=500`, { token: alice.token });
    const first = await server().call('GET', `${accounts}/me/ledger?limit=3`, { token: alice.token });
    assert.equal(first.body.total, all.body.items.length);
    assert.deepEqual(first.body.items, all.body.items.slice(0, 3));
    const second = await server().call('GET', `${accounts}/me/ledger?limit=3&cursor=${first.body.next}`, {
      token: alice.token,
    });
    assert.deepEqual(second.body.items, all.body.items.slice(3, 6));
    // Keyset, as every other list: `next` holds the last entry's id, not an offset.
    assert.deepEqual(JSON.parse(Buffer.from(first.body.next, 'base64url').toString()), { k: first.body.items[2].id });
    const byOffset = await server().call('GET', `${accounts}/me/ledger?offset=3&limit=3`, { token: alice.token });
    assert.deepEqual(byOffset.body.items, second.body.items);
    assert.equal((await server().call('GET', `${accounts}/me/ledger?offset=-1`, { token: alice.token })).status, 400);
    assert.equal(
      all.body.items.reduce((sum: number, e: any) => sum + e.amount, 0),
      await balance('me', alice.token),
    );
  });

  test('concurrent debits never overdraw: 50 debits of 10 against 100, exactly 10 succeed', async () => {
    const racer = await server().user('racer');
    await grant('user:racer', { amount: 100, reason: 'race budget', reference: 'race-budget' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        debit('me', { amount: 10, reason: 'concurrent', reference: `race-${i}` }, racer.token),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 10, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 40);
    assert.equal(await balance('me', racer.token), 0);
    const ledger = await server().call('GET', `${accounts}/me/ledger`, { token: racer.token });
    assert.equal(ledger.body.total, 11);
  });

  test('offsets must be whole numbers from 0 to 2^53-1 and cursors entry ids: anything else is a 400, never a database error', async () => {
    const ledger = `${accounts}/me/ledger`;
    const cursor = (k: unknown) => Buffer.from(JSON.stringify({ k })).toString('base64url');
    for (const query of [
      'offset=99999999999999999999',
      'offset=9007199254740992',
      'offset=-1',
      'offset=1.5',
      ...[-1, 1.5, 1e20, 3, 'not-an-id', null].map((k) => `cursor=${cursor(k)}`),
      'cursor=garbage',
    ]) {
      const response = await server().call('GET', `${ledger}?${query}`, { token: alice.token });
      assert.equal(response.status, 400, `${query}: ${response.text}`);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
    }
    for (const query of ['offset=9007199254740991', `cursor=${cursor('ffffffff-ffff-7fff-bfff-ffffffffffff')}`]) {
      const far = await server().call('GET', `${ledger}?${query}`, { token: alice.token });
      assert.equal(far.status, 200, `${query}: ${far.text}`);
      assert.deepEqual(far.body.items, []);
    }
  });

  test('every ledger entry is an event in the audit log', async () => {
    const events = await server().call('GET', '/api/v1/events?team=lab&limit=5000', { token: alice.token });
    const ledger = events.body.items.filter((e: any) => e.type === 'billing.ledger');
    assert.deepEqual(
      ledger.map((e: any) => e.data.amount),
      [100, -10],
    );
    assert.equal(ledger[1].data.balance, 90);
  });
});
