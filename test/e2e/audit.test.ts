import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLeafHash, catalogs, type Language } from '../../src/core/index.js';
import { storedEntry } from '../../src/server/audit/index.js';
import { projectRoot } from '../../src/server/index.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { Browserish, logIn, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * The audit page in a real browser, across visits: the first visit pins the
 * log key and head, a later visit after honest growth says history is
 * consistent, an entry the server alters under a good head or leaves out of
 * the list is flagged, and
 * after the database is rewritten and the server restarted (same address, so
 * the browser keeps what it remembered) the page shows the red warning.
 */

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` before the browser suite');

async function shot(page: Page, name: string): Promise<void> {
  const dir = join(projectRoot(), 'test-results');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name), fullPage: true }).catch(() => undefined);
}

async function signIn(page: Page, url: string, t: (typeof catalogs)['en'], member: TestMember): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel(t.auth.name, { exact: true }).fill(member.name);
  await page.getByLabel(t.auth.passphrase, { exact: true }).fill(member.passphrase);
  await page.getByRole('button', { name: t.auth.logIn, exact: true }).click();
  await page.waitForURL(/\/login\/second-factor$/, { timeout: 180_000 });
  // A recovery code rather than a TOTP code: no waiting for a fresh 30-second step.
  await page.getByRole('button', { name: t.totp.useRecovery, exact: true }).click();
  await page.getByLabel(t.totp.recoveryCode, { exact: true }).fill(member.recoveryCodes!.shift()!);
  await page.getByRole('button', { name: t.totp.verify, exact: true }).click();
  await page.waitForURL(`${url}/`, { timeout: 180_000 });
  await page.getByTestId('lock-button').waitFor({ timeout: 180_000 });
}

/** Leaves the audit page and comes back through the navigation: a new visit, without reloading (which would lock the keys). */
async function visitAudit(page: Page, t: (typeof catalogs)['en']): Promise<string> {
  if (await page.getByTestId('audit-history').count()) {
    await page.getByRole('link', { name: t.nav.home, exact: true }).click();
    await page.getByTestId('audit-history').waitFor({ state: 'detached' });
  }
  await page.getByRole('link', { name: t.nav.audit, exact: true }).click();
  const note = page.getByTestId('audit-history');
  await note.waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="audit-entries"] tbody tr').first().waitFor({ timeout: 30_000 });
  return (await note.getAttribute('data-status')) ?? '';
}

describe.runIf(browserAvailable())('audit page in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const lang of ['en', 'ru'] as const satisfies readonly Language[]) {
    it(`shows a consistent history, flags altered or omitted entries, and warns in red after a rewrite (${lang})`, async () => {
      const t = catalogs[lang];
      const backend = { name: 'pglite' } as const;
      let server: TestServer = await startTestServer(backend, { keepData: true });
      const url = server.url.replace(/\/$/, '');
      const port = Number(new URL(url).port);
      const context = await browser.newContext({ locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        const api = new Browserish(url);
        const { admin } = await setUpOrganization(api, { adminName: 'quillwarden', realKdf: true });
        await logIn(api, admin);
        await signIn(page, url, t, admin);

        // First visit: the browser pins the log key and the head.
        expect(await visitAudit(page, t)).toBe('first');
        expect(await page.getByTestId('audit-history').textContent()).toBe(t.audit.historyFirst);
        expect(await page.getByTestId('audit-log-key').textContent()).toMatch(/^(\d{5} ){11}\d{5}$/);
        expect(await page.getByRole('alert').count()).toBe(0);
        const actionsShown = await page.locator('[data-testid="audit-entries"] tbody td:nth-child(3)').allTextContents();
        expect(actionsShown).toContain(t.audit.actions.organization_setup);
        // Entries count from 1, as the head does; members appear by the name the organization certified, the full id on hover.
        const numbers = await page.locator('[data-testid="audit-entries"] tbody tr td:nth-child(1)').allTextContents();
        expect(numbers.at(-1)).toBe('1');
        const setupRow = page.locator('[data-testid="audit-entries"] tbody tr[data-seq="0"]');
        expect(await setupRow.locator('td:nth-child(4)').textContent()).toBe('quillwarden');
        expect(await setupRow.locator('td:nth-child(4) [title]').getAttribute('title')).toBe(admin.id);
        // Times carry seconds.
        expect(await setupRow.locator('td:nth-child(2)').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);

        // The log grows honestly: the next visit proves the old head is a prefix of the new.
        await api.post('/api/invitations', { role: 'verifier', expiresInHours: 1 });
        expect(await visitAudit(page, t)).toBe('consistent');
        expect(await page.getByTestId('audit-history').textContent()).toBe(t.audit.historyConsistent);

        // A server that leaves an entry out of the list (every entry it does show being genuine) is caught too.
        await page.route('**/api/audit/entries?*', async (route) => {
          const response = await route.fetch();
          const body = (await response.json()) as { entries: { seq: number }[] };
          await route.fulfill({ response, json: { ...body, entries: body.entries.filter((e) => e.seq !== 2) } });
        });
        expect(await visitAudit(page, t)).toBe('consistent');
        await page.getByTestId('audit-entries-missing').waitFor();
        expect(await page.getByTestId('audit-entries-missing').textContent()).toBe(t.audit.entriesMissing);
        expect(await page.getByTestId('audit-entries-altered').count()).toBe(0);
        await page.unroute('**/api/audit/entries?*');

        // The database is edited under the running server: its head is still good, but the entry no longer is.
        await sql`UPDATE audit_entries SET detail = '{"role":"administrator"}'::jsonb WHERE seq = 3`.execute(server.database.db);
        expect(await visitAudit(page, t)).toBe('consistent');
        expect(await page.getByTestId('audit-entries-missing').count()).toBe(0);
        const flagged = page.getByTestId('audit-entries-altered');
        await flagged.waitFor();
        expect(await flagged.getAttribute('role')).toBe('alert');
        expect(await flagged.textContent()).toBe(t.audit.entriesAltered.replace('{{count}}', '1'));
        expect(await page.locator('tr.altered').getAttribute('data-seq')).toBe('3');
        await shot(page, `audit-altered-entry-${lang}.png`);

        // A careful forger makes every stored hash match again, and the server restarts on the rewritten log.
        for (const row of (await sql<any>`SELECT * FROM audit_entries ORDER BY seq`.execute(server.database.db)).rows) {
          const e = storedEntry(row);
          await sql`UPDATE audit_entries SET leaf_hash = ${auditLeafHash(e)} WHERE seq = ${e.seq}`.execute(server.database.db);
        }
        await server.stop();
        server = await startTestServer(backend, { dataDir: server.config.dataDir, keepData: true, port });

        expect(await visitAudit(page, t)).toBe('rewritten');
        const warning = page.getByTestId('audit-history');
        expect(await warning.getAttribute('role')).toBe('alert');
        expect(await warning.textContent()).toBe(t.audit.historyRewritten);
        await shot(page, `audit-rewritten-${lang}.png`);
        // Nothing was learnt from the rewritten head: the warning stays on the next visit too.
        expect(await visitAudit(page, t)).toBe('rewritten');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
        await server.dispose();
      }
    });
  }
});
