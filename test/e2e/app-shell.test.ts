import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/server/index.js';
import { browserAvailable, launchBrowser } from '../support/browser.js';
import { backends } from '../support/databases.js';
import { setupCodeFor, startTestServer, type TestServer } from '../support/server.js';

const webBuilt = existsSync(join(projectRoot(), 'dist/web/index.html'));
if (!webBuilt) throw new Error('dist/web is missing: run `npm run build` (npm install does it) before the browser suite');

/**
 * Fails the test on any script error or CSP violation the page reports. The
 * anonymous visitor's GET /api/session answers 401 by contract, which
 * Chromium logs as a failed load; that one is expected.
 */
function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (/status of 401/.test(m.text()) && (m.location().url ?? '').endsWith('/api/session')) return;
    problems.push(`console: ${m.text()}`);
  });
  return problems;
}

describe.runIf(browserAvailable())('web app shell in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer(backends()[0]!);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('loads, switches language, remembers it, and survives a reload on a deep link', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems = watchConsole(page);

    await page.goto(`${server.url}/`);
    // Not set up yet: the first visit lands on the setup page.
    await page.waitForURL(/\/setup$/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Set up Clearing');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    await page.getByTestId('language-ru').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Настройка Clearing');
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getByTestId('language-ru').getAttribute('aria-pressed')).toBe('true');

    await page.goto(`${server.url}/about`);
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('О программе Clearing');

    await page.getByTestId('language-en').click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('About Clearing');
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('About Clearing');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a not-found page for an unknown address, inside the layout', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${server.url}/no/such/page`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Страница не найдена');
    expect(await page.locator('nav').count()).toBe(1);
    await context.close();
  });

  it('has accessible landmarks: a skip link, a labelled navigation and a main region', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/about`);
    await page.locator('h1').waitFor();
    expect(await page.locator('a.skip-link[href="#main"]').count()).toBe(1);
    expect(await page.locator('nav[aria-label]').count()).toBe(1);
    expect(await page.locator('main#main').count()).toBe(1);
    expect(await page.locator('[role="group"][aria-label] button[lang]').count()).toBe(2);
    await context.close();
  });

  it('creates the organization and its administrator from the setup page and shows the fingerprint', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const problems = watchConsole(page);
    await page.goto(`${server.url}/setup`);
    await page.getByLabel('Setup code from the server console').fill(setupCodeFor(server.url)!.toLowerCase());
    await page.getByLabel('Organization name').fill('Free Passage');
    await page.getByLabel('Default language').selectOption('ru');
    await page.getByLabel('Member name', { exact: true }).fill('Alice');
    await page.getByLabel('New passphrase', { exact: true }).fill('orbit velvet lantern quietly seven harbor');
    await page.getByLabel('Repeat the passphrase', { exact: true }).fill('orbit velvet lantern quietly seven harbor');
    await page.getByLabel('I understand that nobody can recover my passphrase').check();
    await page.getByRole('button', { name: 'Create organization' }).click();
    // The chosen default language takes over once the organization exists.
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 180_000 }).toBe('Организация создана.');
    expect(await page.getByTestId('organization-fingerprint').textContent()).toMatch(/^\d{5}( \d{5}){11}$/);
    await page.screenshot({ path: join(projectRoot(), 'test-results', 'setup-done.png') }).catch(() => undefined);
    expect(problems).toEqual([]);
    await context.close();
  });
});
