import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asCaseId,
  asMemberId,
  caseCodeFrom,
  catalogs,
  memberSigner,
  prepareOpenCase,
  randomBytes,
  verifyMemberCertificate,
  type CertifiedMember,
  type OrganizationKeyPair,
  type Role,
} from '../../src/core/index.js';
import { projectRoot } from '../../src/server/index.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { Browserish, certificateFor, inviteAndJoin, logIn, publishMembershipList, setUpOrganization, type TestMember } from '../support/members.js';
import { startTestServer, type TestServer } from '../support/server.js';

/*
 * The working life of cases in a real browser, in Russian: a coordinator
 * escalates a case to a specialist (the specialist's browser, in a second
 * context, sees the notification and opens the case with the keys sealed to
 * them), adds a task with an encrypted title and completes another, sees
 * the overdue one on her task list, removes a warning with a reason, and
 * hands two cases over to a colleague with a progress bar. Members and cases
 * are prepared through the API with the same core functions the web app
 * uses; every step under test is done in the page. Screenshots of every
 * panel and page, Russian and English, wide and phone, go to /tmp/shots/workflowweb.
 */

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` before the browser suite');

const shotsDir = process.env.SHOTS_DIR ?? '/tmp/shots/workflowweb';
const ru = catalogs.ru;
const en = catalogs.en;

/** A catalogue sentence with its placeholders filled, as i18next fills them. */
const fill = (text: string, params: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));

/** Wide and phone; toasts dismissed first so they hide nothing; a dialog is shot as the screen shows it, not the whole page behind. */
async function shots(page: Page, name: string, lang: 'ru' | 'en', options: { dialog?: boolean } = {}): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  if (!options.dialog) for (const close of await page.locator('.toast-close').all()) await close.click({ timeout: 2000 }).catch(() => undefined);
  for (const [width, label] of [
    [1280, 'wide'],
    [390, 'phone'],
  ] as const) {
    await page.setViewportSize({ width, height: width === 1280 ? 900 : 844 });
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(shotsDir, `${name}-${lang}-${label}.png`), fullPage: !options.dialog });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signIn(page: Page, url: string, member: TestMember): Promise<void> {
  const t = ru;
  await page.goto(`${url}/login`);
  await page.getByLabel(t.auth.name, { exact: true }).fill(member.name);
  await page.getByLabel(t.auth.passphrase, { exact: true }).fill(member.passphrase);
  await page.getByRole('button', { name: t.auth.logIn, exact: true }).click();
  await page.waitForURL(/\/login\/second-factor$/, { timeout: 180_000 });
  await page.getByRole('button', { name: t.totp.useRecovery, exact: true }).click();
  await page.getByLabel(t.totp.recoveryCode, { exact: true }).fill(member.recoveryCodes!.shift()!);
  await page.getByRole('button', { name: t.totp.verify, exact: true }).click();
  await page.waitForURL(`${url}/`, { timeout: 180_000 });
  await page.getByTestId('lock-button').waitFor({ timeout: 180_000 });
}

/** Goes to a page through the address bar would reload and lock the keys: through the app's own navigation instead. */
async function go(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState({}, '', to);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

/** The case page shows each workflow slot in a tab or inline; open the tab when it is one. */
async function showSlot(page: Page, testId: string, tab: RegExp): Promise<void> {
  const slot = page.getByTestId(testId);
  if (await slot.isVisible().catch(() => false)) return;
  const tabs = page.getByRole('tab', { name: tab });
  if (await tabs.count()) await tabs.first().click();
  await slot.waitFor({ timeout: 60_000 });
}

async function joinAs(
  admin: Browserish,
  url: string,
  organization: OrganizationKeyPair,
  adminId: string,
  role: Role,
  name: string,
): Promise<{ member: TestMember; client: Browserish; certified: CertifiedMember }> {
  const { member, client } = await inviteAndJoin(admin, url, role, name, `${name} держит длинную парольную фразу у моря`, { realKdf: true });
  const certificate = certificateFor(organization, member, role, adminId);
  const certified = await admin.post(`/api/members/${member.id}/certificate`, { certificate });
  if (certified.status !== 200) throw new Error(`certify failed: ${JSON.stringify(certified.body)}`);
  await logIn(client, member);
  return { member, client, certified: verifyMemberCertificate(organization.publicKey, certificate) };
}

/** A case opened as the coordinator's browser opens one: keys for every compartment, sealed to her and the administrators, the chain's first statement. */
async function openCase(
  client: Browserish,
  owner: { member: TestMember; certified: CertifiedMember },
  administrators: CertifiedMember[],
): Promise<{ id: string; code: string }> {
  const caseId = crypto.randomUUID();
  const code = caseCodeFrom(randomBytes(6));
  const { request } = prepareOpenCase({
    caseId: asCaseId(caseId),
    code,
    category: 'officer',
    priority: 'high',
    creator: { signer: memberSigner(asMemberId(owner.member.id), owner.member.keys), certified: owner.certified },
    owner: owner.certified,
    administrators,
    at: new Date().toISOString(),
  });
  const opened = await client.post('/api/cases', request);
  if (opened.status !== 201 && opened.status !== 200) throw new Error(`open case failed: ${opened.status} ${JSON.stringify(opened.body)}`);
  return { id: caseId, code };
}

const utcDay = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe.runIf(browserAvailable())('casework workflow in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('escalates to a specialist who is notified, adds and completes tasks, lists the overdue one, removes a flag with a reason, hands two cases over (Russian)', async () => {
    let server: TestServer | null = null;
    const contexts: BrowserContext[] = [];
    const problems: string[] = [];
    try {
      server = await startTestServer({ name: 'pglite' });
      const url = server.url.replace(/\/$/, '');
      const api = new Browserish(url);
      const { organization, admin } = await setUpOrganization(api, { adminName: 'Анна', realKdf: true, organizationName: 'Свободный проход' });
      await logIn(api, admin);
      const adminCertified = verifyMemberCertificate(
        organization.publicKey,
        ((await api.get('/api/members')).body as Array<{ id: string; certificate: unknown }>).find((m) => m.id === admin.id)!.certificate,
      );
      const vera = await joinAs(api, url, organization, admin.id, 'coordinator', 'Вера');
      const gleb = await joinAs(api, url, organization, admin.id, 'specialist', 'Глеб');
      const dina = await joinAs(api, url, organization, admin.id, 'coordinator', 'Дина');
      await publishMembershipList(api, organization, admin.id);
      const cases = [];
      for (let i = 0; i < 3; i++) cases.push(await openCase(vera.client, vera, [adminCertified]));
      const [first, second, third] = cases as [{ id: string; code: string }, { id: string; code: string }, { id: string; code: string }];

      const veraContext = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
      const glebContext = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
      contexts.push(veraContext, glebContext);
      const page = await veraContext.newPage();
      const glebPage = await glebContext.newPage();
      for (const [p, label] of [
        [page, 'vera'],
        [glebPage, 'gleb'],
      ] as const) {
        p.on('pageerror', (e) => problems.push(`${label} pageerror: ${e.message}`));
      }
      await signIn(page, url, vera.member);

      // The case page with the workflow panel: a warning is set, then the case goes to a specialist.
      await go(page, `/cases/${first.code}`);
      await page.getByTestId('case-workflow').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('workflow-status').getAttribute('data-status')).toBe('new');
      await page.getByTestId('flag-to-add').selectOption('safety_risk');
      await page.getByTestId('flag-add').click();
      await page.locator('[data-testid="case-flag"][data-flag="safety_risk"]').waitFor();
      await page.getByTestId('move-triage').click();
      await expect.poll(() => page.getByTestId('workflow-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('triage');
      await shots(page, 'workflow-panel', 'ru');
      await page.getByTestId('case-close').click();
      await page.getByTestId('close-dialog').waitFor();
      expect(await page.getByTestId('close-dialog').getByRole('button', { name: ru.casework.close.confirm, exact: true }).isDisabled()).toBe(true);
      await shots(page, 'close-dialog', 'ru', { dialog: true });
      await page.getByTestId('close-dialog').getByRole('button', { name: ru.common.cancel, exact: true }).click();

      await page.getByTestId('case-escalate').click();
      const escalate = page.getByTestId('escalate-dialog');
      await escalate.waitFor();
      await escalate.getByTestId('escalate-to').selectOption(gleb.member.id);
      await escalate.getByTestId('escalate-reason').selectOption('legal_expertise');
      await escalate.getByTestId('grant-note').waitFor();
      await shots(page, 'escalate-dialog', 'ru', { dialog: true });
      await escalate.getByRole('button', { name: ru.casework.escalate.confirm, exact: true }).click();
      await escalate.waitFor({ state: 'detached', timeout: 60_000 });
      await expect.poll(() => page.getByTestId('case-specialists').textContent(), { timeout: 30_000 }).toContain('Глеб');

      // The specialist, in another browser, is told and opens the case.
      await signIn(glebPage, url, gleb.member);
      const bell = glebPage.locator('[data-testid="notification-bell"]:visible');
      await expect.poll(async () => Number(await bell.getAttribute('data-unread')), { timeout: 60_000 }).toBeGreaterThan(0);
      const unreadBefore = Number(await bell.getAttribute('data-unread'));
      await bell.click();
      const notice = glebPage.locator('[data-testid="notification"][data-kind="escalated"]');
      await notice.waitFor();
      expect(await notice.textContent()).toContain(first.code);
      expect(await notice.getAttribute('data-unread')).toBe('true');
      await shots(glebPage, 'notifications', 'ru');
      await notice.getByTestId('notification-case').click();
      await glebPage.getByTestId('case-workflow').waitFor({ timeout: 120_000 });
      expect(await glebPage.getByTestId('case-specialists').textContent()).toContain(fill(ru.casework.people.you, { name: 'Глеб' }));
      await expect.poll(async () => (await gleb.client.get('/api/notifications/unread-count')).body.unread, { timeout: 30_000 }).toBe(unreadBefore - 1);

      // Tasks: one already overdue, one to complete; titles are encrypted in the logistics compartment.
      await showSlot(page, 'case-tasks', /Задачи/);
      const form = page.getByTestId('new-task');
      await form.getByTestId('task-title-input').fill('Купить билет Тбилиси — Ереван');
      await form.getByTestId('task-due-input').fill(utcDay(-2));
      await form.getByTestId('task-create').click();
      await page.locator('[data-testid="task-row"]', { hasText: 'Купить билет Тбилиси — Ереван' }).waitFor({ timeout: 60_000 });
      await form.getByTestId('task-title-input').fill('Найти поручителя для аренды');
      await form.getByTestId('task-due-input').fill(utcDay(3));
      await form.getByTestId('task-create').click();
      const rent = page.locator('[data-testid="task-row"]', { hasText: 'Найти поручителя для аренды' });
      await rent.waitFor({ timeout: 60_000 });
      const ticket = page.locator('[data-testid="task-row"]', { hasText: 'Купить билет Тбилиси — Ереван' });
      expect(await ticket.getByTestId('task-due').getAttribute('data-overdue')).toBe('true');
      expect(await ticket.textContent()).toContain(ru.casework.tasks.overdue);
      expect(await rent.textContent()).toContain(ru.casework.tasks.dueSoon);
      await shots(page, 'case-tasks', 'ru');
      await rent.getByTestId('task-complete').click();
      await expect.poll(() => rent.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
      // The server never saw the title.
      const stored = await vera.client.get(`/api/cases/${first.id}/tasks`);
      expect(JSON.stringify(stored.body)).not.toContain('Тбилиси');

      // My tasks: the overdue one stands out, its title decrypted here.
      await go(page, '/tasks');
      const mine = page.locator('[data-testid="my-task"]', { hasText: 'Купить билет Тбилиси — Ереван' });
      await mine.waitFor({ timeout: 60_000 });
      expect(await mine.getAttribute('data-overdue')).toBe('true');
      expect(await page.getByTestId('my-tasks-overdue').textContent()).toBe(fill(ru.casework.myTasks.overdueCount, { count: 1 }));
      expect(await page.locator('[data-testid="my-task"]', { hasText: 'Найти поручителя' }).count()).toBe(0);
      await shots(page, 'my-tasks', 'ru');

      // The warning comes off only with a reason.
      await mine.getByTestId('my-task-case').click();
      await page.getByTestId('case-workflow').waitFor({ timeout: 120_000 });
      await page.getByTestId('remove-flag-safety_risk').click();
      const removal = page.getByTestId('remove-flag-dialog');
      await removal.waitFor();
      const confirm = removal.getByRole('button', { name: ru.casework.flags.remove, exact: true });
      expect(await confirm.isDisabled()).toBe(true);
      await removal.getByTestId('flag-removal-reason').selectOption('resolved');
      await shots(page, 'remove-flag-dialog', 'ru', { dialog: true });
      await confirm.click();
      await removal.waitFor({ state: 'detached', timeout: 30_000 });
      await page.locator('[data-testid="case-flag"][data-flag="safety_risk"]').waitFor({ state: 'detached' });

      // The timeline and the access log: the flag's removal, and the specialist's key read.
      await showSlot(page, 'case-timeline', /Хронология/);
      await page.locator('[data-testid="timeline-entry"][data-action="case.flag_removed"]').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('timeline-access').textContent(), { timeout: 30_000 }).toContain('Глеб');
      await shots(page, 'case-timeline', 'ru');

      // Handover: two of Vera's cases go to Dina, in batches with a progress bar.
      await go(page, '/cases/handover');
      await page.getByTestId('handover-from').selectOption(vera.member.id);
      await page.getByTestId('handover-to').selectOption(dina.member.id);
      await page.getByTestId('handover-some').check();
      for (const c of [second, third]) await page.locator('label.checkbox', { hasText: c.code }).locator('input').check();
      await shots(page, 'handover-choose', 'ru');
      // The first batch is lost on the way (a dropped connection): the page says so, and Resume asks the server what is left and goes on.
      let dropped = false;
      await page.route('**/api/cases/handover', async (route) => {
        if (!dropped && route.request().method() === 'POST') {
          dropped = true;
          await route.abort('connectionreset');
        } else await route.continue();
      });
      await page.getByTestId('handover-start').click();
      await expect.poll(() => page.getByTestId('handover-progress').getAttribute('data-state'), { timeout: 120_000 }).toBe('interrupted');
      expect(await page.getByTestId('handover-error').getAttribute('data-error-code')).toBe('NETWORK');
      expect(await page.getByTestId('handover-status').textContent()).toBe(fill(ru.casework.handover.interrupted, { done: 0, total: 2 }));
      await shots(page, 'handover-interrupted', 'ru');
      await page.unroute('**/api/cases/handover');
      await page.getByTestId('handover-resume').click();
      await expect.poll(() => page.getByTestId('handover-progress').getAttribute('data-state'), { timeout: 120_000 }).toBe('finished');
      expect(await page.getByTestId('handover-bar').getAttribute('value')).toBe('100');
      expect(await page.getByTestId('handover-status').textContent()).toBe(fill(ru.casework.handover.done, { moved: 2, skipped: 0 }));
      await shots(page, 'handover-done', 'ru');
      const dinas = await api.get(`/api/cases/handover/candidates?fromId=${dina.member.id}`);
      expect((dinas.body.cases as Array<{ code: string }>).map((c) => c.code).sort()).toEqual([second.code, third.code].sort());
      const veras = await api.get(`/api/cases/handover/candidates?fromId=${vera.member.id}`);
      expect((veras.body.cases as Array<{ code: string }>).map((c) => c.code)).toEqual([first.code]);

      // The same pages in English, for the screenshots.
      await page.getByTestId('language-en').click();
      await page.getByRole('heading', { name: en.casework.handover.title }).waitFor();
      await shots(page, 'handover-done', 'en');
      await go(page, '/tasks');
      await page.locator('[data-testid="my-task"]').first().waitFor({ timeout: 60_000 });
      await shots(page, 'my-tasks', 'en');
      await go(page, `/cases/${first.code}`);
      await page.getByTestId('case-workflow').waitFor({ timeout: 120_000 });
      await shots(page, 'workflow-panel', 'en');
      await page.getByTestId('case-close').click();
      await page.getByTestId('close-dialog').waitFor();
      await shots(page, 'close-dialog', 'en', { dialog: true });
      await page.getByTestId('close-dialog').getByRole('button', { name: en.common.cancel, exact: true }).click();
      await showSlot(page, 'case-tasks', /Tasks/);
      await shots(page, 'case-tasks', 'en');
      await showSlot(page, 'case-timeline', /Timeline/);
      await shots(page, 'case-timeline', 'en');
      await glebPage.getByTestId('language-en').click();
      await go(glebPage, '/notifications');
      await glebPage.locator('[data-testid="notification"]').first().waitFor();
      await shots(glebPage, 'notifications', 'en');

      expect(problems).toEqual([]);
    } finally {
      for (const c of contexts) await c.close().catch(() => undefined);
      await server?.dispose();
    }
  });
});
