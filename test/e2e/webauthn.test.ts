import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogs, type Language } from '../../src/core/index.js';
import { projectRoot } from '../../src/server/index.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { backends } from '../support/databases.js';
import { Browserish, setUpOrganization } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * A security key as the second factor, in Chromium with its virtual
 * authenticator (DevTools protocol): the first login with TOTP, the account
 * page registers a passkey, a new set of recovery codes is confirmed with it
 * (and kept on screen until saved), log out, and log in with the passkey
 * instead of a code. Once per language, each on its own server.
 */

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` before the browser suite');
const shots = join(projectRoot(), 'test-results');

const casts: Record<Language, { admin: string; passphrase: string; newPassphrase: string; key: string }> = {
  ru: { admin: 'Вера', passphrase: 'сосна река облако девять чашка мост', newPassphrase: 'жёлтый паром плывёт мимо старой башни', key: 'Синий ключ' },
  en: { admin: 'Vera', passphrase: 'willow copper meadow softly eleven bridge', newPassphrase: 'amber ferry drifts past the quiet tower', key: 'Blue key' },
};

const stepAt = (ms: number) => Math.floor(ms / 30_000);

function totpCode(secret: string, at = Date.now()): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
}

function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location().url ?? '';
    // The anonymous GET /api/session answers 401 by contract.
    if (/status of 401/.test(m.text()) && url.endsWith('/api/session')) return;
    problems.push(`console: ${m.text()} (${url})`);
  });
  return problems;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name), fullPage: true }).catch(() => undefined);
}

describe.runIf(browserAvailable())('security keys and passkeys in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of ['ru', 'en'] as const) {
    it(`registers a passkey on the account page and logs in with it, in ${lang === 'ru' ? 'Russian' : 'English'}`, async () => {
      const t = catalogs[lang];
      const cast = casts[lang];
      let server: TestServer | null = null;
      let context: BrowserContext | null = null;
      try {
        server = await startTestServer(backends()[0]!);
        // WebAuthn needs a domain as RP ID (not an IP address); localhost is a secure context over plain HTTP.
        const url = server.url.replace('127.0.0.1', 'localhost');
        // Production key-derivation settings: the web app refuses test ones.
        await setUpOrganization(new Browserish(server.url), { adminName: cast.admin, passphrase: cast.passphrase, realKdf: true });

        context = await browser.newContext({ locale: lang === 'ru' ? 'ru-RU' : 'en-US', viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        const problems = watchConsole(page);
        const cdp = await context.newCDPSession(page);
        await cdp.send('WebAuthn.enable');
        const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        });

        // ── First login: passphrase, TOTP enrollment, recovery codes that stay until saved. ──
        await page.goto(`${url}/login`);
        await page.getByLabel(t.auth.name, { exact: true }).fill(cast.admin);
        await page.getByLabel(t.auth.passphrase, { exact: true }).fill(cast.passphrase);
        await page.getByRole('button', { name: t.auth.logIn, exact: true }).click();
        await page.waitForURL(/\/login\/totp$/, { timeout: 180_000 });
        const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
        const enrolledAt = Date.now();
        await page.getByLabel(t.totp.code, { exact: true }).fill(totpCode(secret, enrolledAt));
        await page.getByRole('button', { name: t.totp.confirm, exact: true }).click();
        await page.getByTestId('recovery-codes').waitFor();
        expect(await page.getByRole('button', { name: t.totp.continue, exact: true }).isDisabled()).toBe(true);
        await page.getByLabel(t.totp.savedCodes, { exact: true }).check();
        await page.getByRole('button', { name: t.totp.continue, exact: true }).click();
        await page.waitForURL(`${url}/`, { timeout: 180_000 });
        await page.getByTestId('lock-button').waitFor({ timeout: 180_000 });

        // ── The account page: register a passkey, confirmed with the next TOTP code. ──
        await page.getByRole('link', { name: t.nav.account, exact: true }).click();
        await page.waitForURL(/\/account$/);
        await expect.poll(() => page.locator('h1').textContent()).toBe(t.account.title);
        await page.getByTestId('authenticators-none').waitFor();
        expect(await page.getByTestId('account-organization-fingerprint').textContent()).toMatch(/^[\d ]{60,}$/);
        await page.getByRole('button', { name: t.account.keyAdd, exact: true }).click();
        const addForm = page.getByTestId('add-authenticator');
        await addForm.getByLabel(t.account.keyName, { exact: true }).fill(cast.key);
        // The enrollment spent this step's code; the server also accepts the next step's.
        await addForm.getByLabel(t.account.confirmCode, { exact: true }).fill(totpCode(secret, enrolledAt + 30_000));
        await addForm.getByRole('button', { name: t.account.keyAddSubmit, exact: true }).click();
        const row = page.locator(`[data-testid="authenticator"][data-name="${cast.key}"]`);
        await row.waitFor({ timeout: 60_000 });
        expect(await row.textContent()).toContain(t.account.keyNeverUsed);
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        expect(credentials).toHaveLength(1);
        await shot(page, `webauthn-${lang}-1-account.png`);

        // ── A new set of recovery codes, confirmed with the passkey; leaving before saving them asks first. ──
        await page.getByRole('button', { name: t.account.recoveryNew, exact: true }).click();
        await page.getByTestId('new-recovery-codes').getByRole('button', { name: t.account.confirmWithKey, exact: true }).click();
        await page.getByTestId('recovery-codes').waitFor({ timeout: 60_000 });
        expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
        const done = page.getByRole('button', { name: t.account.recoveryDone, exact: true });
        expect(await done.isDisabled()).toBe(true);
        let asked = '';
        page.once('dialog', (dialog) => {
          asked = dialog.message();
          void dialog.dismiss();
        });
        await page.getByRole('link', { name: t.nav.home, exact: true }).click();
        await expect.poll(() => asked).toBe(t.totp.leaveWarning);
        expect(new URL(page.url()).pathname).toBe('/account');
        await shot(page, `webauthn-${lang}-2-recovery-codes.png`);
        await page.getByLabel(t.totp.savedCodes, { exact: true }).check();
        await done.click();
        await expect.poll(() => page.getByTestId('recovery-left').textContent()).toBe(t.account.recoveryLeft.replace('{{count}}', '10'));

        // ── A new passphrase for the same keys, with a fresh code (the next step's: two are spent). ──
        while (stepAt(Date.now()) <= stepAt(enrolledAt)) await new Promise((r) => setTimeout(r, 250));
        const change = page.getByTestId('change-passphrase');
        await change.getByLabel(t.account.currentPassphrase, { exact: true }).fill(cast.passphrase);
        await change.getByLabel(t.passphrase.new, { exact: true }).fill(cast.newPassphrase);
        await change.getByLabel(t.passphrase.confirm, { exact: true }).fill(cast.newPassphrase);
        await expect
          .poll(() => change.getByTestId('passphrase-strength').textContent())
          .toMatch(new RegExp(`^(${t.passphrase.score3}|${t.passphrase.score4})$`));
        await change.getByLabel(t.account.confirmCode, { exact: true }).fill(totpCode(secret, Date.now() + 30_000));
        await change.getByRole('button', { name: t.account.changePassphrase, exact: true }).click();
        await expect.poll(() => page.getByRole('status').filter({ hasText: t.account.passphraseChanged }).count(), { timeout: 180_000 }).toBe(1);

        // ── Log out, log in again with the new passphrase: the passkey instead of a code. ──
        await page.getByTestId('logout-button').click();
        await page.waitForURL(/\/login$/);
        await page.getByLabel(t.auth.name, { exact: true }).fill(cast.admin);
        await page.getByLabel(t.auth.passphrase, { exact: true }).fill(cast.newPassphrase);
        await page.getByRole('button', { name: t.auth.logIn, exact: true }).click();
        await page.waitForURL(/\/login\/second-factor$/, { timeout: 180_000 });
        const option = page.getByTestId('security-key-option');
        await option.waitFor();
        // Both are offered: the key, and the code field.
        expect(await page.getByLabel(t.totp.code, { exact: true }).count()).toBe(1);
        await shot(page, `webauthn-${lang}-3-second-factor.png`);
        await option.getByRole('button', { name: t.totp.useSecurityKey, exact: true }).click();
        await page.waitForURL(`${url}/`, { timeout: 180_000 });
        await page.getByTestId('lock-button').waitFor({ timeout: 180_000 });

        const logins = await server.database.db.selectFrom('audit_entries').select('detail').where('action', '=', 'auth.login').orderBy('seq').execute();
        expect(logins.map((l) => l.detail)).toEqual([{ factor: 'totp' }, { factor: 'webauthn' }]);
        expect(await server.database.db.selectFrom('audit_entries').select('action').where('action', '=', 'member.passphrase_changed').execute()).toHaveLength(
          1,
        );
        await page.getByRole('link', { name: t.nav.account, exact: true }).click();
        await expect.poll(() => row.textContent()).not.toContain(t.account.keyNeverUsed);
        expect(await page.locator('[data-testid="session"][data-current="true"]').count()).toBe(1);
        expect(problems).toEqual([]);
      } finally {
        await context?.close();
        await server?.dispose();
      }
    });
  }
});
