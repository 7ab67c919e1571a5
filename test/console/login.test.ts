// Signing in and out of the console in a real browser: the token lives in sessionStorage, logout revokes it,
// a token refused anywhere brings back the login page, and the page is served under a strict CSP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityViolations,
  adminPassword,
  consoleTestsSkipped,
  describeViolations,
  openConsole,
  screenshot,
  signIn,
  type ConsoleSite,
} from './support.ts';

const skip = consoleTestsSkipped();
let site: ConsoleSite;
let page: Page;

before(async () => {
  if (skip) return;
  site = await openConsole();
  page = await site.newPage();
});
after(async () => {
  await site?.close();
});

const storedToken = (p: Page) =>
  p.evaluate(() => {
    const saved = sessionStorage.getItem('cloudplane.session');
    return saved ? (JSON.parse(saved) as { token: string }).token : undefined;
  });

test('the console is served under /console with a strict Content-Security-Policy', { skip }, async () => {
  const response = await site.server.call('GET', '/console/');
  assert.equal(response.status, 200);
  const csp = response.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const bundle = await site.server.call('GET', '/console/assets/app.js');
  assert.equal(bundle.status, 200);
  const again = await site.server.call('GET', '/console/assets/app.js', {
    headers: { 'if-none-match': bundle.headers.get('etag')! },
  });
  assert.equal(again.status, 304);
});

test('a wrong password is refused on the login page with the API message', { skip }, async () => {
  await page.goto(site.url('/'));
  assert.deepEqual(describeViolations(await accessibilityViolations(page)), []);
  await screenshot(page, 'login');
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /invalid|password|credentials/i })
    .waitFor();
  assert.equal(await storedToken(page), undefined);
});

test('signing in keeps the token in sessionStorage only, and logging out revokes it', { skip }, async () => {
  await signIn(page, site, 'admin', adminPassword);
  const token = await storedToken(page);
  assert.ok(token, 'a token in sessionStorage');
  assert.equal(await page.evaluate('document.cookie'), '');
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  assert.equal((await site.server.call('GET', '/api/v1/me', { token })).status, 200);
  assert.deepEqual(describeViolations(await accessibilityViolations(page)), []);

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await storedToken(page), undefined);
  assert.equal((await site.server.call('GET', '/api/v1/me', { token })).status, 401);
});

test('a token the server refuses brings back the login page, saying why', { skip }, async () => {
  await signIn(page, site);
  const token = await storedToken(page);
  const me = await site.server.call('GET', '/api/v1/me', { token });
  // Revoked behind the console's back, as an expiry or another tab's logout would.
  await site.server.call('DELETE', `/api/v1/tokens/${me.body.tokenId}`, { token });
  // The next request of the page, without a reload, is refused.
  await page.getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page
    .getByRole('status')
    .filter({ hasText: /session has ended/ })
    .waitFor();
  assert.equal(await storedToken(page), undefined);
});

test('a pasted API token signs in', { skip }, async () => {
  const created = await site.server.call('POST', '/api/v1/tokens', {
    token: site.server.adminToken,
    body: { name: 'console-test', scopes: ['read'] },
  });
  await page.goto(site.url('/'));
  await page.getByLabel('An API token').check();
  await page.getByLabel('API token', { exact: true }).fill(created.body.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText("This session's token may: read").waitFor();
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal((await site.server.call('GET', '/api/v1/me', { token: created.body.token })).status, 200);
});

test('no page broke the Content-Security-Policy or threw', { skip }, () => {
  assert.deepEqual(site.problems, []);
});
