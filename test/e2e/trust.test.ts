import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogs,
  createMember,
  encodeAuthPublicKey,
  cryptoMessages,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  organizationFingerprint,
  sealOrganizationKey,
  type Language,
} from '../../src/core/index.js';
import { projectRoot } from '../../src/server/index.js';
import { membershipCounterKey } from '../../src/web/membership.js';
import { organizationPinKey } from '../../src/web/trust.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { backends } from '../support/databases.js';
import { Browserish, certificateFor, inviteAndJoin, logIn, publishMembershipList, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * A server that lies about trust, seen from a real browser: it swaps two
 * members' names, serves a look-alike name, replays an old membership list,
 * and presents another organization key to a member's first login on a new
 * device. Each is shown to the person as a trust failure. And the honest
 * path: an administrator removed in the browser triggers an organization-key
 * rotation with a progress indicator, after which a member's browser moves
 * its pin by itself.
 *
 * Members are created over HTTP (the integration helpers) to keep Argon2id in
 * the page to one unlock per browser; the session cookie of a scripted login
 * is handed to the browser context, which then unlocks with the passphrase.
 */

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` before the browser suite');
const shots = join(projectRoot(), 'test-results');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name), fullPage: true }).catch(() => undefined);
}

/** Opens the app in `context` with the session of a scripted login, and unlocks the keys with the passphrase (Argon2id in the page). */
async function openAs(context: BrowserContext, server: TestServer, client: Browserish, member: TestMember, path = '/'): Promise<Page> {
  const [name, value] = client.cookie!.split('=') as [string, string];
  await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();
  await page.goto(`${server.url}${path}`);
  await unlock(page, member);
  return page;
}

async function unlock(page: Page, member: TestMember): Promise<void> {
  const lang = (await page.evaluate(() => document.documentElement.lang)) === 'ru' ? 'ru' : 'en';
  const t = catalogs[lang];
  await page.getByTestId('unlock-screen').waitFor();
  await page.getByLabel(t.auth.passphrase, { exact: true }).fill(member.passphrase);
  await page.getByRole('button', { name: t.lock.unlock, exact: true }).click();
}

describe.runIf(browserAvailable())('trust failures in Chromium', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let server: TestServer | null = null;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.dispose();
    await browser?.close();
  });
  const newContext = async (lang: Language) => {
    const c = await browser.newContext({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: { width: 1280, height: 800 } });
    contexts.push(c);
    return c;
  };

  it('swapped names and a look-alike name are trust failures (Russian)', async () => {
    const t = catalogs.ru;
    server = await startTestServer(backends()[0]!);
    const adminClient = new Browserish(server.url);
    const org = await setUpOrganization(adminClient, { adminName: 'Анна', realKdf: true, organizationName: 'Свободный проход' });
    await logIn(adminClient, org.admin);
    const boris = (await inviteAndJoin(adminClient, server.url, 'coordinator', 'Борис')).member;
    const vera = (await inviteAndJoin(adminClient, server.url, 'specialist', 'Вера')).member;
    for (const m of [boris, vera])
      await adminClient.post(`/api/members/${m.id}/certificate`, { certificate: certificateFor(org.organization, m, m.role, org.admin.id) });
    await publishMembershipList(adminClient, org.organization, org.admin.id);

    const page = await openAs(await newContext('ru'), server, adminClient, org.admin);
    await expect
      .poll(() => page.getByTestId('colleague').allTextContents(), { timeout: 120_000 })
      .toEqual([expect.stringContaining('Борис'), expect.stringContaining('Вера')]);

    // The server swaps the two names in the directory.
    await page.route('**/api/members/directory', async (route) => {
      const response = await route.fetch();
      const entries = (await response.json()) as Array<{ name: string }>;
      for (const e of entries) e.name = e.name === 'Борис' ? 'Вера' : e.name === 'Вера' ? 'Борис' : e.name;
      await route.fulfill({ response, json: entries });
    });
    await page.getByTestId('colleagues-refresh').click();
    const warning = page.getByTestId('directory-substitution');
    await warning.waitFor();
    expect(await warning.getAttribute('role')).toBe('alert');
    expect(await warning.textContent()).toContain(t.errors.KEY_SUBSTITUTION);
    expect(await page.getByTestId('untrusted-entry').count()).toBe(2);
    expect(await warning.textContent()).toContain(t.membership.reasons.CERTIFICATE_MISMATCH);
    expect(await page.getByTestId('colleague').count()).toBe(0);
    await shot(page, 'trust-ru-names-swapped.png');
    await page.unroute('**/api/members/directory');

    // A look-alike: "Бoрис" with a Latin o, beside Борис's genuine certificate.
    await page.route('**/api/members/directory', async (route) => {
      const response = await route.fetch();
      const entries = (await response.json()) as Array<{ name: string }>;
      for (const e of entries) if (e.name === 'Борис') e.name = 'Бoрис';
      await route.fulfill({ response, json: entries });
    });
    await page.getByTestId('colleagues-refresh').click();
    await expect.poll(() => page.getByTestId('untrusted-entry').allTextContents()).toEqual([expect.stringContaining('Бoрис')]);
    expect(await page.getByTestId('colleague').allTextContents()).toEqual([expect.stringContaining('Вера')]);

    // The members page: the row with the look-alike name is flagged, and no name is shown as certified that was not.
    await page.route('**/api/members', async (route) => {
      const response = await route.fetch();
      const entries = (await response.json()) as Array<{ name: string }>;
      for (const e of entries) if (e.name === 'Борис') e.name = 'Бoрис';
      await route.fulfill({ response, json: entries });
    });
    await page.getByRole('link', { name: t.nav.members, exact: true }).click();
    const row = page.locator('[data-testid="member-row"][data-member-name="Бoрис"]');
    await row.waitFor();
    expect(await row.getByTestId('certificate-state').textContent()).toContain(t.members.certState.invalid);
    expect(await row.getByTestId('certificate-state').textContent()).toContain(t.membership.reasons.CERTIFICATE_MISMATCH);
    expect(await row.locator('.unverified-name').count()).toBe(1);
    await shot(page, 'trust-ru-members-lookalike.png');
    await server.dispose();
    server = null;
  }, 600_000);

  it('an administrator removed in the browser rotates the organization key; members follow; an old list is a rollback (English)', async () => {
    const t = catalogs.en;
    server = await startTestServer(backends()[0]!);
    const adminClient = new Browserish(server.url);
    const org = await setUpOrganization(adminClient, { adminName: 'Alice', realKdf: true });
    await logIn(adminClient, org.admin);
    const dora = (await inviteAndJoin(adminClient, server.url, 'administrator', 'Dora', undefined, { organization: org.organization, adminId: org.admin.id }))
      .member;
    await adminClient.post(`/api/members/${dora.id}/certificate`, {
      certificate: certificateFor(org.organization, dora, 'administrator', org.admin.id),
      sealedOrganizationKey: sealOrganizationKey(org.organization, dora.keys.encryption.publicKey),
    });
    const bob = await inviteAndJoin(adminClient, server.url, 'coordinator', 'Bob', 'marble pigeon crosses the frozen canal', { realKdf: true });
    await adminClient.post(`/api/members/${bob.member.id}/certificate`, {
      certificate: certificateFor(org.organization, bob.member, 'coordinator', org.admin.id),
    });
    await publishMembershipList(adminClient, org.organization, org.admin.id);
    const oldList = (await adminClient.get('/api/organization/membership-list')).body;
    await logIn(bob.client, bob.member);

    // Bob's browser trusts Alice and Dora through the signed list.
    const bobContext = await newContext('en');
    const bobPage = await openAs(bobContext, server, bob.client, bob.member);
    await expect
      .poll(() => bobPage.getByTestId('colleague').allTextContents(), { timeout: 120_000 })
      .toEqual([expect.stringContaining('Alice'), expect.stringContaining('Dora')]);
    const oldPin = await bobPage.evaluate((k) => localStorage.getItem(k), organizationPinKey);
    expect(oldPin).toBe(encodeOrganizationPublicKey(org.organization.publicKey));

    // A newer list is published; Bob's browser sees it; then the server replays the older one: a rollback.
    await publishMembershipList(adminClient, org.organization, org.admin.id);
    await bobPage.getByTestId('colleagues-refresh').click();
    await expect.poll(() => bobPage.evaluate((k) => localStorage.getItem(k), membershipCounterKey)).toBe(String(oldList.list.body.counter + 1));
    await bobPage.route('**/api/organization/membership-list', (route) => route.fulfill({ json: oldList }));
    await bobPage.getByTestId('colleagues-refresh').click();
    const rollback = bobPage.getByTestId('membership-failure');
    await rollback.waitFor();
    expect(await rollback.getAttribute('role')).toBe('alert');
    expect(await rollback.textContent()).toContain(cryptoMessages.en.MEMBERSHIP_LIST_ROLLBACK);
    expect(await bobPage.getByTestId('colleague').count()).toBe(0);
    await shot(bobPage, 'trust-en-rollback.png');
    await bobPage.unroute('**/api/organization/membership-list');
    await bobPage.getByTestId('colleagues-refresh').click();
    await expect.poll(() => bobPage.getByTestId('colleague').count()).toBe(2);
    expect(await bobPage.getByTestId('membership-failure').count()).toBe(0);

    // Alice removes Dora in her browser: the organization key is replaced, with a progress indicator.
    const adminPage = await openAs(await newContext('en'), server, adminClient, org.admin, '/members');
    const doraRow = adminPage.locator('[data-testid="member-row"][data-member-name="Dora"]');
    await doraRow.waitFor({ timeout: 120_000 });
    await doraRow.getByRole('button', { name: t.members.remove, exact: true }).click();
    await adminPage.getByRole('dialog').getByRole('button', { name: t.members.remove, exact: true }).click();
    await adminPage.getByTestId('rotation-panel').waitFor();
    await adminPage.getByTestId('rotation-done').waitFor({ timeout: 60_000 });
    const newFingerprint = (await adminPage.getByTestId('new-organization-fingerprint').textContent())?.replace(/\D/g, '');
    expect(newFingerprint).toMatch(/^\d{60}$/);
    const newKey = (await adminClient.get('/api/setup')).body.organization.publicKey as string;
    expect(newKey).not.toBe(oldPin);
    expect(await adminPage.evaluate((k) => localStorage.getItem(k), organizationPinKey)).toBe(newKey);
    await shot(adminPage, 'trust-en-rotation-done.png');
    // Still an administrator with the new key: the members page works and shows everyone certified under it.
    await expect
      .poll(() => adminPage.locator('[data-testid="member-row"][data-member-name="Bob"]').getByTestId('certificate-state').textContent())
      .toBe(t.members.certState.valid);

    // Bob's browser, on its next load, follows the signed rotation: no warning, the pin moved, Dora is gone.
    await bobPage.reload();
    await unlock(bobPage, bob.member);
    await expect.poll(() => bobPage.getByTestId('colleague').allTextContents(), { timeout: 120_000 }).toEqual([expect.stringContaining('Alice')]);
    expect(await bobPage.getByTestId('organization-key-changed').count()).toBe(0);
    expect(await bobPage.evaluate((k) => localStorage.getItem(k), organizationPinKey)).toBe(newKey);

    // The server replays the list from before the rotation (in which Dora was an active administrator), or serves none: refused.
    await bobPage.route('**/api/organization/membership-list', (route) => route.fulfill({ json: oldList }));
    await bobPage.getByTestId('colleagues-refresh').click();
    const failure = bobPage.getByTestId('membership-failure');
    await failure.waitFor();
    expect(await failure.textContent()).toContain(t.membership.failureTitle);
    expect(await bobPage.getByTestId('colleague').count()).toBe(0);
    await bobPage.unroute('**/api/organization/membership-list');
    const current = (await adminClient.get('/api/organization/membership-list')).body;
    await bobPage.route('**/api/organization/membership-list', (route) => route.fulfill({ json: { ...current, list: null } }));
    await bobPage.getByTestId('colleagues-refresh').click();
    await expect.poll(() => bobPage.getByTestId('membership-failure').textContent()).toContain(cryptoMessages.en.MEMBERSHIP_LIST_ROLLBACK);
    await server.dispose();
    server = null;
  }, 600_000);

  it('a first login on a new device pins the key its bundle binds, refuses another, and asks to compare for an old bundle (Russian)', async () => {
    const t = catalogs.ru;
    server = await startTestServer(backends()[0]!);
    const adminClient = new Browserish(server.url);
    const org = await setUpOrganization(adminClient, { adminName: 'Анна' });
    await logIn(adminClient, org.admin);
    const gleb = await inviteAndJoin(adminClient, server.url, 'coordinator', 'Глеб', 'зелёный трамвай поёт в тумане утром', { realKdf: true });
    await logIn(gleb.client, gleb.member);
    const realKey = encodeOrganizationPublicKey(org.organization.publicKey);

    // The server presents another organization key to this new device.
    const rogue = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
    const context = await newContext('ru');
    const [name, value] = gleb.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
    const page = await context.newPage();
    await page.route('**/api/session', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.organization.publicKey = rogue;
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${server.url}/`);
    await unlock(page, gleb.member);
    const changed = page.getByTestId('organization-key-changed');
    await changed.waitFor({ timeout: 120_000 });
    expect(await changed.getAttribute('role')).toBe('alert');
    expect(await changed.textContent()).toContain(t.errors.ORGANIZATION_KEY_CHANGED);
    expect(await page.evaluate((k) => localStorage.getItem(k), organizationPinKey)).toBeNull();
    expect(await page.getByTestId('my-fingerprint').count()).toBe(0);
    await shot(page, 'trust-ru-new-device-rogue.png');

    // The honest server: the bundle vouches for the key, the pin is set without a question.
    await page.unroute('**/api/session');
    await page.reload();
    await unlock(page, gleb.member);
    await page.getByTestId('my-fingerprint').waitFor({ timeout: 120_000 });
    expect(await page.evaluate((k) => localStorage.getItem(k), organizationPinKey)).toBe(realKey);

    // A member whose bundle predates version 2: the fingerprint comparison, as on the invitation page.
    const invitation = await adminClient.post('/api/invitations', { role: 'partner', expiresInHours: 1 });
    const old = await createMember('старый ключ без привязки к организации');
    const hana = new Browserish(server.url);
    const hanaId = crypto.randomUUID();
    expect(
      (
        await hana.post('/api/invitations/accept', {
          token: invitation.body.token,
          member: { id: hanaId, name: 'Хана', keyBundle: old.bundle, authPublicKey: encodeAuthPublicKey(old.auth) },
        })
      ).status,
    ).toBe(201);
    const hanaMember: TestMember = { id: hanaId, name: 'Хана', passphrase: 'старый ключ без привязки к организации', keys: old.keys, role: 'partner' };
    await logIn(hana, hanaMember);
    const hanaPage = await openAs(await newContext('ru'), server, hana, hanaMember);
    const check = hanaPage.getByTestId('first-use-check');
    await check.waitFor({ timeout: 120_000 });
    expect((await check.getByTestId('organization-fingerprint').textContent())?.replace(/\D/g, '')).toBe(
      organizationFingerprint(org.organization.publicKey).replace(/\D/g, ''),
    );
    const confirm = check.getByRole('button', { name: t.membership.firstUseConfirm, exact: true });
    expect(await confirm.isDisabled()).toBe(true);
    await shot(hanaPage, 'trust-ru-first-use.png');
    await check.getByTestId('first-use-matches').check();
    await confirm.click();
    await hanaPage.getByTestId('my-fingerprint').waitFor();
    expect(await hanaPage.evaluate((k) => localStorage.getItem(k), organizationPinKey)).toBe(realKey);
  }, 600_000);
});
