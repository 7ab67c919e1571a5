// The account pages in a real browser: key pairs (a generated private key offered once), API tokens (a secret shown
// once, revoked), user certificates (downloaded); each page checked by axe, at desktop and phone width.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  accessibilityViolations,
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
  await signIn(page, site);
});
after(async () => {
  await site?.close();
});

const open = async (path: string, heading: string) => {
  await page.goto(site.url(path));
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
};
const noViolations = async (p = page) => assert.deepEqual(describeViolations(await accessibilityViolations(p)), []);
const keyPairs = async () =>
  (await site.server.call('GET', '/api/v1/keypairs', { token: site.server.adminToken })).body.items as {
    name: string;
    publicKey: string;
  }[];

test('generating a key pair offers its private key once, as a download', { skip }, async () => {
  await open('/keypairs', 'Key pairs');
  await noViolations();
  await page.getByLabel('Name', { exact: true }).first().fill('laptop');
  await page.getByRole('button', { name: 'Generate' }).click();
  const offer = page.getByRole('button', { name: 'Download private key' });
  await offer.waitFor();
  await noViolations();
  await screenshot(page, 'keypairs');
  const [download] = await Promise.all([page.waitForEvent('download'), offer.click()]);
  assert.equal(download.suggestedFilename(), 'laptop.key');
  const privateKey = readFileSync((await download.path())!, 'utf8');
  assert.match(privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
  await page.getByText('The private key of laptop was downloaded').waitFor();
  assert.equal(await offer.count(), 0, 'offered once: the button is gone after the download');
  await page.getByRole('cell', { name: 'laptop', exact: true }).waitFor();
  const stored = await site.server.call('GET', '/api/v1/keypairs/laptop', { token: site.server.adminToken });
  assert.equal(stored.body.privateKey, undefined, 'the server kept no private key');
  assert.ok(!(await page.content()).includes(privateKey.split('\n')[1]), 'nor does the page');
});

test('importing a public key; one that is not a key gets the API message next to the field', { skip }, async () => {
  const { publicKey } = (await keyPairs()).find((key) => key.name === 'laptop')!;
  await open('/keypairs', 'Key pairs');
  const form = page.getByRole('form', { name: 'Import a public key' });
  await form.getByLabel('Name', { exact: true }).fill('desk');
  await form.getByLabel('OpenSSH public key').fill('ssh-ed25519 not-a-key');
  await form.getByRole('button', { name: 'Import' }).click();
  const field = form.getByLabel('OpenSSH public key');
  await form.getByText('publicKey is not a valid OpenSSH public key').waitFor();
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await field.getAttribute('aria-describedby'), 'import-key-error');
  await field.fill(publicKey);
  await form.getByRole('button', { name: 'Import' }).click();
  await form.getByText(/^Imported desk \(SHA256:/).waitFor();
  assert.deepEqual((await keyPairs()).map((key) => key.name).sort(), ['desk', 'laptop']);
  await noViolations();
});

test(
  'a token is made with scopes and an expiry, its secret shown once, then revoked by keyboard',
  { skip },
  async () => {
    await open('/tokens', 'API tokens');
    await noViolations();
    await page.getByLabel('Name', { exact: true }).fill('ci');
    await page.getByLabel(/^write:/).check();
    await page.getByLabel('Expires in').selectOption({ label: '1 day' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByLabel(/^Secret of token ci/);
    await shown.waitFor();
    const secret = await shown.inputValue();
    await noViolations();
    await screenshot(page, 'tokens');
    const me = await site.server.call('GET', '/api/v1/me', { token: secret });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.scopes, ['read', 'write']);
    const listed = await site.server.call('GET', '/api/v1/tokens', { token: site.server.adminToken });
    const made = listed.body.items.find((token: { name: string }) => token.name === 'ci');
    const hours = (Date.parse(made.expiresAt) - Date.now()) / 3_600_000;
    assert.ok(hours > 23 && hours <= 24, `expires in a day, not ${hours} hours`);

    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await shown.count(), 0);
    assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');

    await page.getByRole('button', { name: 'Revoke token ci' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: /Revoke token ci\?/ });
    await dialog.waitFor();
    await noViolations();
    await dialog.getByRole('button', { name: 'Revoke' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('cell', { name: 'ci', exact: true }).waitFor({ state: 'detached' });
    assert.equal((await site.server.call('GET', '/api/v1/me', { token: secret })).status, 401);
  },
);

test("the session's own token is marked, not offered for revocation", { skip }, async () => {
  await open('/tokens', 'API tokens');
  const own = page.getByRole('row').filter({ hasText: 'this session (Log out revokes it)' });
  await own.waitFor();
  assert.equal(await own.count(), 1);
  assert.equal(await own.getByRole('button').count(), 0);
});

test('a user certificate downloads as a zip of key, certificate and CA certificate', { skip }, async () => {
  await open('/certificates', 'Certificates');
  await noViolations();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download a new certificate' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'certs.zip');
  const zip = readFileSync((await download.path())!);
  assert.equal(zip.subarray(0, 2).toString(), 'PK');
  for (const name of ['key.pem', 'cert.pem', 'ca_cert.pem']) assert.ok(zip.includes(name), `${name} in the zip`);
  const status = await page
    .getByRole('status')
    .filter({ hasText: /^Certificate [0-9a-f]+ issued/ })
    .textContent();
  const serial = /Certificate ([0-9a-f]+)/.exec(status!)![1];
  await page.getByRole('cell', { name: serial, exact: true }).waitFor();
  await page.getByRole('button', { name: `Revoke certificate ${serial}` }).waitFor();
  await noViolations();
  await screenshot(page, 'certificates');
});

test('at 360 px every account page fits the width and keeps its controls reachable', { skip }, async () => {
  const phone = await site.newPage({ width: 360, height: 740 });
  await signIn(phone, site);
  for (const [path, heading] of [
    ['/keypairs', 'Key pairs'],
    ['/tokens', 'API tokens'],
    ['/certificates', 'Certificates'],
  ]) {
    await phone.goto(site.url(path));
    await phone.getByRole('heading', { level: 1, name: heading }).waitFor();
    const overflow = await phone.evaluate('document.documentElement.scrollWidth');
    assert.ok(Number(overflow) <= 360, `${path} is ${overflow} px wide`);
    assert.deepEqual(describeViolations(await accessibilityViolations(phone)), [], path);
  }
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone.getByRole('link', { name: 'Key pairs' }).click();
  await phone.getByRole('heading', { level: 1, name: 'Key pairs' }).waitFor();
  await screenshot(phone, 'keypairs-phone');
});

test('no page broke the Content-Security-Policy or threw', { skip }, () => {
  assert.deepEqual(site.problems, []);
});
