import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogs,
  cryptoMessages,
  encodeOrganizationPublicKey,
  encodePublicKey,
  generateMemberKeys,
  generateOrganizationKey,
  type Language,
} from '../../src/core/index.js';
import { projectRoot } from '../../src/server/index.js';
import { organizationPinKey } from '../../src/web/trust.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { backends } from '../support/databases.js';
import { setupCodeFor, startTestServer, type TestServer } from '../support/server.js';

/*
 * The whole life of a member in a real browser, against a real server:
 * first run (organization and administrator keys made in the page), the
 * administrator's first login with TOTP enrollment, an invitation accepted in
 * a second browser context after comparing the organization fingerprint,
 * certification by voice-compared fingerprint, the invitee's login with TOTP,
 * lock and unlock, a key the server substitutes in the directory, and a
 * second login through the second-factor page. Once per language, each on its
 * own server.
 */

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` before the browser suite');

const shots = join(projectRoot(), 'test-results');

interface Cast {
  organization: string;
  admin: { name: string; passphrase: string };
  invitee: { name: string; passphrase: string };
}

const casts: Record<Language, Cast> = {
  ru: {
    organization: 'Свободный проход',
    admin: { name: 'Анна', passphrase: 'лодка ветер окно семь чайник гора' },
    invitee: { name: 'Борис К', passphrase: 'зелёный трамвай поёт в тумане утром' },
  },
  en: {
    organization: 'Free Passage',
    admin: { name: 'Alice', passphrase: 'orbit velvet lantern quietly seven harbor' },
    invitee: { name: 'Bob K', passphrase: 'marble pigeon crosses the frozen canal' },
  },
};

const period = 30;
const stepAt = (ms: number) => Math.floor(ms / 1000 / period);

function totpCode(secret: string, at = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period, algorithm: 'SHA1' }).generate({ timestamp: at });
}

/** The server refuses a code from a step it already accepted: wait for the next step. */
async function waitForStepAfter(step: number): Promise<void> {
  while (stepAt(Date.now()) <= step) await new Promise((r) => setTimeout(r, 250));
}

/** A code that no step around now accepts. */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-1, 0, 1].map((d) => totpCode(secret, now + d * period * 1000)));
  return ['000000', '111111', '222222'].find((c) => !valid.has(c))!;
}

const digits = (text: string | null) => (text ?? '').replace(/\D/g, '');

/**
 * Script errors and CSP violations fail the test. Chromium also logs every
 * 4xx answer as a console error; those are allowed only for the addresses a
 * step deliberately provokes (and the anonymous GET /api/session, which
 * answers 401 by contract).
 */
function watchConsole(page: Page, label: string): { problems: string[]; allow4xx(path: string): void } {
  const problems: string[] = [];
  const allowed = new Set(['/api/session']);
  page.on('pageerror', (e) => problems.push(`${label} pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url ?? '';
    const path = url ? new URL(url).pathname : '';
    if (/status of 4\d\d/.test(m.text()) && allowed.has(path)) return;
    problems.push(`${label} console: ${m.text()} (${url})`);
  });
  return { problems, allow4xx: (path) => allowed.add(path) };
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name), fullPage: true }).catch(() => undefined);
}

async function enrollTotp(page: Page, t: (typeof catalogs)['en']): Promise<{ secret: string; step: number; recoveryCodes: string[] }> {
  const secret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  // The QR code is an image from a data: URL (allowed by img-src), not a network request.
  expect(await page.locator('img.qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  const now = Date.now();
  await page.getByLabel(t.totp.code, { exact: true }).fill(totpCode(secret, now));
  await page.getByRole('button', { name: t.totp.confirm, exact: true }).click();
  const list = page.getByTestId('recovery-codes');
  await list.waitFor();
  const recoveryCodes = (await list.locator('li').allTextContents()).map((c) => c.trim());
  expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
  const next = page.getByRole('button', { name: t.totp.continue, exact: true });
  expect(await next.isDisabled()).toBe(true);
  await page.getByLabel(t.totp.savedCodes, { exact: true }).check();
  await next.click();
  return { secret, step: stepAt(now), recoveryCodes };
}

async function logIn(page: Page, t: (typeof catalogs)['en'], who: { name: string; passphrase: string }): Promise<void> {
  await page.getByLabel(t.auth.name, { exact: true }).fill(who.name);
  await page.getByLabel(t.auth.passphrase, { exact: true }).fill(who.passphrase);
  await page.getByRole('button', { name: t.auth.logIn, exact: true }).click();
}

async function choosePassphrase(page: Page, t: (typeof catalogs)['en'], passphrase: string): Promise<void> {
  await page.getByLabel(t.passphrase.new, { exact: true }).fill(passphrase);
  await page.getByLabel(t.passphrase.confirm, { exact: true }).fill(passphrase);
  await expect.poll(() => page.getByTestId('passphrase-strength').textContent()).toMatch(new RegExp(`^(${t.passphrase.score3}|${t.passphrase.score4})$`));
  await page.getByLabel(t.passphrase.understood, { exact: true }).check();
}

describe.runIf(browserAvailable())('members and trust in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`first run → invite → accept → certify → TOTP login → lock → unlock, in ${lang === 'ru' ? 'Russian' : 'English'}`, async () => {
      const t = catalogs[lang];
      const cast = casts[lang];
      const locale = lang === 'ru' ? 'ru-RU' : 'en-US';
      let server: TestServer | null = null;
      const contexts: BrowserContext[] = [];
      try {
        server = await startTestServer(backends()[0]!);
        const url = server.url;

        // ── First run: the administrator's browser makes every key. ──
        const adminContext = await browser.newContext({ locale });
        contexts.push(adminContext);
        const admin = await adminContext.newPage();
        const adminConsole = watchConsole(admin, 'admin');
        await admin.goto(`${url}/`);
        await admin.waitForURL(/\/setup$/);
        await expect.poll(() => admin.locator('h1').textContent()).toBe(t.setup.title);
        await admin.getByLabel(t.setup.code, { exact: true }).fill(setupCodeFor(url)!);
        await admin.getByLabel(t.setup.organizationName, { exact: true }).fill(cast.organization);
        await admin.getByLabel(t.setup.defaultLanguage, { exact: true }).selectOption(lang);
        await admin.getByLabel(t.auth.name, { exact: true }).fill(cast.admin.name);
        // A weak passphrase is refused before anything is sent.
        await admin.getByLabel(t.passphrase.new, { exact: true }).fill('password123');
        await expect
          .poll(() => admin.getByTestId('passphrase-strength').textContent())
          .toMatch(new RegExp(`^(${t.passphrase.score0}|${t.passphrase.score1}|${t.passphrase.score2})$`));
        expect(await admin.getByRole('button', { name: t.setup.submit, exact: true }).isDisabled()).toBe(true);
        await choosePassphrase(admin, t, cast.admin.passphrase);
        await admin.getByRole('button', { name: t.setup.submit, exact: true }).click();
        const orgFingerprintEl = admin.getByTestId('organization-fingerprint');
        await orgFingerprintEl.waitFor({ timeout: 180_000 });
        const orgFingerprint = digits(await orgFingerprintEl.textContent());
        expect(orgFingerprint).toMatch(/^\d{60}$/);
        expect(await admin.locator('h1').textContent()).toBe(t.setup.done);
        await shot(admin, `members-${lang}-1-setup-done.png`);

        // ── The administrator's first login: passphrase, then TOTP enrollment. ──
        await admin.getByRole('link', { name: t.setup.continueToLogin, exact: true }).click();
        await admin.waitForURL(/\/login$/);
        await logIn(admin, t, cast.admin);
        await admin.waitForURL(/\/login\/totp$/, { timeout: 180_000 });
        await expect.poll(() => admin.locator('h1').textContent()).toBe(t.totp.title);
        const adminEnrollment = await enrollTotp(admin, t);
        await admin.waitForURL(`${url}/`);
        await expect.poll(() => admin.locator('h1').textContent()).toBe(t.home.title.replace('{{organization}}', cast.organization));
        // Keys are open: the Lock button is there, and the administrator sees Members and Audit.
        await admin.getByTestId('lock-button').waitFor();
        expect(await admin.getByRole('link', { name: t.nav.members, exact: true }).count()).toBe(1);
        expect(await admin.getByRole('link', { name: t.nav.audit, exact: true }).count()).toBe(1);

        // ── Invitation: a one-time link whose token stays in the fragment. ──
        await admin.getByRole('link', { name: t.nav.members, exact: true }).click();
        await admin.waitForURL(/\/members$/);
        // The tab says which page this is, in the reader's language.
        await expect.poll(() => admin.title()).toBe(t.ui.title.replace('{{page}}', t.members.title).replace('{{app}}', t.app.name));
        const adminRow = admin.locator(`[data-testid="member-row"][data-member-name="${cast.admin.name}"]`);
        await expect.poll(() => adminRow.getByTestId('certificate-state').textContent()).toBe(t.members.certState.valid);
        await admin.getByLabel(t.members.role, { exact: true }).selectOption('coordinator');
        await admin.getByRole('button', { name: t.invitations.create, exact: true }).click();
        const link = ((await admin.getByTestId('invitation-link').textContent()) ?? '').trim();
        expect(link).toMatch(new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/invite#[A-Za-z0-9_-]{16,}$`));
        await shot(admin, `members-${lang}-2-invitation.png`);

        // ── The invitee, in another browser: compare the fingerprint, choose a passphrase, make keys. ──
        const inviteeContext = await browser.newContext({ locale });
        contexts.push(inviteeContext);
        const invitee = await inviteeContext.newPage();
        const inviteeConsole = watchConsole(invitee, 'invitee');
        await invitee.goto(link);
        await expect.poll(() => invitee.locator('h1').textContent()).toBe(t.invite.title);
        // What the administrator read out must be what this page computed from the key itself.
        expect(digits(await invitee.getByTestId('organization-fingerprint').textContent())).toBe(orgFingerprint);
        const accept = invitee.getByRole('button', { name: t.invite.accept, exact: true });
        expect(await accept.isDisabled()).toBe(true);
        await invitee.getByLabel(t.invite.fingerprintMatches, { exact: true }).check();
        await invitee.getByLabel(t.auth.name, { exact: true }).fill(cast.invitee.name);
        await choosePassphrase(invitee, t, cast.invitee.passphrase);
        await accept.click();
        await expect.poll(() => invitee.locator('h1').textContent(), { timeout: 180_000 }).toBe(t.invite.joinedTitle);
        const inviteeFingerprint = digits(await invitee.getByTestId('my-fingerprint').textContent());
        expect(inviteeFingerprint).toMatch(/^\d{60}$/);
        // The spent token is gone from the address bar.
        expect(new URL(invitee.url()).hash).toBe('');
        await shot(invitee, `members-${lang}-3-joined.png`);

        // A second use of the same link is refused.
        const reuse = await inviteeContext.newPage();
        const reuseConsole = watchConsole(reuse, 'reuse');
        reuseConsole.allow4xx('/api/invitations/lookup');
        await reuse.goto(link);
        // The code is no longer shown beside the words; it stays on the alert for support (data-error-code).
        await expect.poll(() => reuse.getByRole('alert').getAttribute('data-error-code')).toContain('INVITATION_USED');
        expect(reuseConsole.problems).toEqual([]);
        await reuse.close();

        // ── Certification: the administrator compares the fingerprint "by voice" and signs. ──
        await admin.getByTestId('members-refresh').click();
        // Refresh re-reads the invitations too: the one just used no longer shows as waiting.
        await expect.poll(() => admin.getByTestId('invitation-state').allTextContents()).toEqual([t.invitations.states.used]);
        const inviteeRow = admin.locator(`[data-testid="member-row"][data-member-name="${cast.invitee.name}"]`);
        await inviteeRow.waitFor();
        expect(await inviteeRow.getByTestId('certificate-state').textContent()).toBe(t.members.certState.none);
        expect(digits(await inviteeRow.locator('.fingerprint').textContent())).toBe(inviteeFingerprint);
        await inviteeRow.getByRole('button', { name: t.members.certify, exact: true }).click();
        const dialog = admin.getByRole('dialog');
        expect(digits(await dialog.getByTestId('certify-fingerprint').textContent())).toBe(inviteeFingerprint);
        const certify = dialog.getByRole('button', { name: t.members.certify, exact: true });
        expect(await certify.isDisabled()).toBe(true);
        await dialog.getByLabel(t.members.comparedFingerprint.replace('{{name}}', cast.invitee.name), { exact: true }).check();
        await certify.click();
        await expect.poll(() => inviteeRow.getByTestId('certificate-state').textContent()).toBe(t.members.certState.valid);
        await shot(admin, `members-${lang}-4-certified.png`);

        // ── The invitee logs in: passphrase, TOTP enrollment, keys unlocked. ──
        await invitee.getByRole('link', { name: t.invite.continueToLogin, exact: true }).click();
        await invitee.waitForURL(/\/login$/);
        await logIn(invitee, t, cast.invitee);
        await invitee.waitForURL(/\/login\/totp$/, { timeout: 180_000 });
        const inviteeEnrollment = await enrollTotp(invitee, t);
        await invitee.waitForURL(`${url}/`);
        await invitee.getByTestId('lock-button').waitFor();
        expect(await invitee.getByTestId('home-member').textContent()).toContain(cast.invitee.name);
        expect(await invitee.getByTestId('not-certified').count()).toBe(0);
        expect(digits(await invitee.getByTestId('my-fingerprint').textContent())).toBe(inviteeFingerprint);
        // A coordinator sees neither Members nor Audit.
        expect(await invitee.getByRole('link', { name: t.nav.members, exact: true }).count()).toBe(0);
        expect(await invitee.getByRole('link', { name: t.nav.audit, exact: true }).count()).toBe(0);
        // The administrator is a colleague whose certificate this browser verified.
        await expect.poll(() => invitee.getByTestId('colleague').allTextContents()).toEqual([expect.stringContaining(cast.admin.name)]);

        // ── Lock, a wrong passphrase, unlock. ──
        await invitee.getByTestId('lock-button').click();
        await invitee.getByTestId('unlock-screen').waitFor();
        // Locking says so, wherever the member is.
        expect(await invitee.getByTestId('toast').first().textContent()).toContain(t.ui.lock.done);
        expect(await invitee.locator('h1').textContent()).toBe(t.lock.title);
        expect(await invitee.getByTestId('lock-button').count()).toBe(0);
        expect(await invitee.getByTestId('my-fingerprint').count()).toBe(0);
        // A wrong passphrase cannot open the bundle: the browser says so, the keys stay shut.
        await invitee.getByLabel(t.auth.passphrase, { exact: true }).fill('not my passphrase at all');
        await invitee.getByRole('button', { name: t.lock.unlock, exact: true }).click();
        await expect.poll(() => invitee.getByRole('alert').textContent(), { timeout: 180_000 }).toContain(cryptoMessages[lang].KEY_BUNDLE_WRONG_PASSPHRASE);
        await invitee.getByLabel(t.auth.passphrase, { exact: true }).fill(cast.invitee.passphrase);
        await invitee.getByRole('button', { name: t.lock.unlock, exact: true }).click();
        await invitee.getByTestId('my-fingerprint').waitFor({ timeout: 180_000 });
        expect(digits(await invitee.getByTestId('my-fingerprint').textContent())).toBe(inviteeFingerprint);
        await shot(invitee, `members-${lang}-5-unlocked.png`);

        // ── Key substitution: the server swaps the administrator's key in the directory; the client refuses it. ──
        const mallory = generateMemberKeys();
        await invitee.route('**/api/members/directory', async (route) => {
          const response = await route.fetch();
          const entries = (await response.json()) as Array<{ name: string; encryptionPublicKey: string }>;
          for (const e of entries) if (e.name === cast.admin.name) e.encryptionPublicKey = encodePublicKey(mallory.encryption.publicKey);
          await route.fulfill({ response, json: entries });
        });
        await invitee.getByTestId('colleagues-refresh').click();
        const warning = invitee.getByTestId('directory-substitution');
        await warning.waitFor();
        expect(await warning.textContent()).toContain(t.errors.KEY_SUBSTITUTION);
        expect(await warning.textContent()).toContain(cast.admin.name);
        expect(await invitee.getByTestId('colleague').count()).toBe(0);
        await invitee.unroute('**/api/members/directory');

        // ── The administrator logs in again: this time through the second-factor page. ──
        await admin.getByTestId('logout-button').click();
        await admin.waitForURL(/\/login$/);
        await logIn(admin, t, cast.admin);
        await admin.waitForURL(/\/login\/second-factor$/, { timeout: 180_000 });
        // A wrong code first: refused, with the reason in the reader's language.
        adminConsole.allow4xx('/api/auth/second-factor');
        await admin.getByLabel(t.totp.code, { exact: true }).fill(wrongCode(adminEnrollment.secret));
        await admin.getByRole('button', { name: t.totp.verify, exact: true }).click();
        await expect.poll(() => admin.getByRole('alert').textContent()).toContain(t.errors.TOTP_INVALID);
        // The enrollment code's step is spent; the next code comes from a later step.
        await waitForStepAfter(adminEnrollment.step);
        await admin.getByLabel(t.totp.code, { exact: true }).fill(totpCode(adminEnrollment.secret));
        await admin.getByRole('button', { name: t.totp.verify, exact: true }).click();
        await admin.waitForURL(`${url}/`, { timeout: 180_000 });
        await admin.getByTestId('lock-button').waitFor({ timeout: 180_000 });
        await expect.poll(() => admin.getByTestId('colleague').allTextContents()).toEqual([expect.stringContaining(cast.invitee.name)]);

        // ── The invitee "lost the phone": logs in with a recovery code instead. ──
        await invitee.getByTestId('logout-button').click();
        await invitee.waitForURL(/\/login$/);
        await logIn(invitee, t, cast.invitee);
        await invitee.waitForURL(/\/login\/second-factor$/, { timeout: 180_000 });
        await invitee.getByRole('button', { name: t.totp.useRecovery, exact: true }).click();
        await invitee.getByLabel(t.totp.recoveryCode, { exact: true }).fill(inviteeEnrollment.recoveryCodes[0]!);
        await invitee.getByRole('button', { name: t.totp.verify, exact: true }).click();
        await invitee.waitForURL(`${url}/`, { timeout: 180_000 });
        await invitee.getByTestId('my-fingerprint').waitFor({ timeout: 180_000 });

        // The audit page (its own suite tests it) is reachable from the administrator's navigation.
        await admin.getByRole('link', { name: t.nav.audit, exact: true }).click();
        await expect.poll(() => admin.locator('h1').first().textContent()).toBe(t.audit.title);

        // ── Role change (re-certified in the administrator's browser), suspension, reinstatement. ──
        await admin.getByRole('link', { name: t.nav.members, exact: true }).click();
        const row = admin.locator(`[data-testid="member-row"][data-member-name="${cast.invitee.name}"]`);
        await row.getByRole('button', { name: t.members.changeRole, exact: true }).click();
        await admin.getByRole('dialog').getByLabel(t.members.newRole, { exact: true }).selectOption('specialist');
        await admin.getByRole('dialog').getByRole('button', { name: t.members.changeRole, exact: true }).click();
        await expect.poll(() => row.locator('td').first().textContent()).toBe(t.members.roles.specialist);
        expect(await row.getByTestId('certificate-state').textContent()).toBe(t.members.certState.valid);
        await row.getByRole('button', { name: t.members.suspend, exact: true }).click();
        await admin.getByRole('dialog').getByRole('button', { name: t.members.suspend, exact: true }).click();
        await expect.poll(() => row.locator('td').nth(1).textContent()).toBe(t.members.statuses.suspended);
        // The suspended member's session is gone: the next request sends their browser back to the login page, keys wiped.
        inviteeConsole.allow4xx('/api/members/directory');
        inviteeConsole.allow4xx('/api/organization/membership-list');
        await invitee.getByTestId('colleagues-refresh').click();
        await invitee.waitForURL(/\/login$/);
        expect(await invitee.getByTestId('lock-button').count()).toBe(0);
        await row.getByRole('button', { name: t.members.reinstate, exact: true }).click();
        await admin.getByRole('dialog').getByRole('button', { name: t.members.reinstate, exact: true }).click();
        await expect.poll(() => row.locator('td').nth(1).textContent()).toBe(t.members.statuses.active);

        // ── A server presenting another organization key: red warning, keys stay locked. ──
        const pinned = await admin.evaluate((key) => window.localStorage.getItem(key), organizationPinKey);
        expect(pinned).toBeTruthy();
        const rogue = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
        await admin.evaluate(([key, value]) => window.localStorage.setItem(key!, value!), [organizationPinKey, rogue]);
        await admin.goto(`${url}/`);
        const changed = admin.getByTestId('organization-key-changed');
        await changed.waitFor();
        expect(await changed.getAttribute('role')).toBe('alert');
        expect(await changed.textContent()).toContain(t.errors.ORGANIZATION_KEY_CHANGED);
        expect(await admin.getByTestId('unlock-screen').count()).toBe(0);
        await admin.evaluate(([key, value]) => window.localStorage.setItem(key!, value!), [organizationPinKey, pinned]);

        // ── Idle timeout: after ten minutes without activity the keys are wiped. ──
        await admin.clock.install();
        await admin.goto(`${url}/`);
        await admin.getByTestId('unlock-screen').waitFor();
        await admin.getByLabel(t.auth.passphrase, { exact: true }).fill(cast.admin.passphrase);
        await admin.getByRole('button', { name: t.lock.unlock, exact: true }).click();
        await admin.getByTestId('lock-button').waitFor({ timeout: 180_000 });
        await admin.clock.fastForward('10:30');
        await admin.getByTestId('unlock-screen').waitFor();
        expect(await admin.getByTestId('unlock-screen').textContent()).toContain(t.lock.idle.replace('{{minutes}}', '10'));

        // ── Log out everywhere ends the session on every device. ──
        await admin.getByLabel(t.auth.passphrase, { exact: true }).fill(cast.admin.passphrase);
        await admin.getByRole('button', { name: t.lock.unlock, exact: true }).click();
        await admin.getByRole('button', { name: t.nav.logoutEverywhere, exact: true }).click({ timeout: 180_000 });
        // It asks first now; the confirmation carries the same words.
        await admin.getByRole('dialog').getByRole('button', { name: t.nav.logoutEverywhere, exact: true }).click();
        await admin.waitForURL(/\/login$/);
        const afterwards = await admin.evaluate(async () => (await fetch('/api/session')).status);
        expect(afterwards).toBe(401);

        expect(adminConsole.problems).toEqual([]);
        expect(inviteeConsole.problems).toEqual([]);
        // Nothing of the passphrases reached the server's logs.
        const logs = server.logs();
        for (const secret of [cast.admin.passphrase, cast.invitee.passphrase]) expect(logs.includes(secret)).toBe(false);
        expect(logs).not.toMatch(/\/invite#/);
      } finally {
        for (const c of contexts) await c.close().catch(() => undefined);
        await server?.dispose();
      }
    }, 300_000);
  }
});
