import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnServer } from '../support/cli.js';
import { backends, freshPostgresDatabase } from '../support/databases.js';
import { copyPgliteTemplate } from '../support/pglite-template.js';

describe('clearing CLI', () => {
  it('explains itself and every command with --help', () => {
    const top = runCli(['--help']);
    expect(top.status).toBe(0);
    for (const command of ['serve', 'migrate', 'doctor']) expect(top.stdout).toContain(command);
    for (const command of ['serve', 'migrate', 'doctor']) {
      const help = runCli([command, '--help']);
      expect(help.status, command).toBe(0);
      expect(help.stdout).toContain('--data-dir');
      expect(help.stdout).toContain('--database-url');
    }
    expect(runCli(['serve', '--help']).stdout).toContain('--port');
  });

  it('speaks Russian when asked to, help headings and option words included', () => {
    const help = runCli(['--help'], { env: { CLEARING_LANGUAGE: 'ru' } });
    expect(help.stdout).toContain('ведение дел');
    for (const word of ['Использование:', 'Параметры:', 'Команды:', 'показать справку']) expect(help.stdout).toContain(word);
    for (const word of ['Usage:', 'Options:', 'Commands:', 'display help']) expect(help.stdout).not.toContain(word);
    const age = runCli(['age', 'decrypt', '--help'], { env: { CLEARING_LANGUAGE: 'ru' } });
    expect(age.stdout).toContain('Аргументы:');
    expect(age.stdout).toContain('стандартного вывода');
    expect(age.stdout).not.toMatch(/default|write here/);
  });

  it('a command that only reads refuses a directory without Clearing data, and creates nothing there', () => {
    const typo = join(mkdtempSync(join(tmpdir(), 'clearing-typo-')), 'dtaa');
    for (const args of [
      ['admin', 'fingerprint'],
      ['audit', 'verify'],
    ]) {
      const result = runCli([...args, '--data-dir', typo]);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr).toContain('NOT_A_DATA_DIR');
      expect(result.stderr).not.toMatch(/relation .* does not exist/);
      expect(existsSync(typo)).toBe(false);
    }
  });

  it('rejects an unknown command and bad configuration with a clear error', () => {
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toMatch(/unknown command/i);
    const port = runCli(['serve', '--port', 'eighty']);
    expect(port.status).toBe(1);
    expect(port.stderr).toContain('CONFIG_INVALID');
    expect(port.stderr).toContain('port');
    const url = runCli(['migrate', '--database-url', 'mysql://nope']);
    expect(url.status).toBe(1);
    expect(url.stderr).toContain('CONFIG_INVALID');
  });

  it('migrate brings a new data directory up to date, then says it is up to date', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearing-cli-'));
    await copyPgliteTemplate(join(dir, 'pglite'));
    const first = runCli(['migrate', '--data-dir', dir]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Applied \d+ migration/);
    const second = runCli(['migrate', '--data-dir', dir]);
    expect(second.stdout).toMatch(/up to date/);
  });

  it('doctor reports a healthy data directory, a missing one, and a running server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearing-doc-'));
    await copyPgliteTemplate(join(dir, 'pglite'));
    runCli(['migrate', '--data-dir', dir]);
    const healthy = runCli(['doctor', '--data-dir', dir, '--json']);
    expect(healthy.status, healthy.stdout + healthy.stderr).toBe(0);
    const report = JSON.parse(healthy.stdout) as { ok: boolean; checks: { outcome: string; text: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.text).join('\n')).toMatch(/All \d+ migrations applied/);
    expect(report.checks.map((c) => c.text).join('\n')).toMatch(/free/);
    // Which file cipher large age files get: the native one wherever npm install could build it (always under CI).
    const cipher = report.checks.find((c) => /file cipher/.test(c.text));
    expect(cipher?.text).toMatch(process.env.CI === 'true' ? /^Native file cipher \(OpenSSL\) loaded$/ : /file cipher/);

    const missing = runCli(['doctor', '--data-dir', join(dir, 'not-yet')]);
    expect(missing.status).toBe(0);
    expect(missing.stdout).toContain('does not exist yet');

    const server = await spawnServer(['--data-dir', dir]);
    try {
      const busy = runCli(['doctor', '--data-dir', dir]);
      expect(busy.stdout).toContain(`process ${server.child.pid}`);
      expect(busy.stdout).toContain('not opened while a server is running');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('doctor fails when the database cannot be reached', () => {
    const result = runCli(['doctor', '--database-url', 'postgres://nobody@127.0.0.1:1/none', '--data-dir', mkdtempSync(join(tmpdir(), 'clearing-doc-'))]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Database not reachable');
  });

  const pgBackend = backends().find((b) => b.name === 'postgres');
  it.runIf(pgBackend)('serve and migrate run unchanged on a PostgreSQL server', async () => {
    if (pgBackend?.name !== 'postgres') return;
    const db = await freshPostgresDatabase(pgBackend.adminUrl);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'clearing-pgcli-'));
      const migrated = runCli(['migrate', '--data-dir', dir], { env: { DATABASE_URL: db.url } });
      expect(migrated.status, migrated.stderr).toBe(0);
      const server = await spawnServer(['--data-dir', dir], { DATABASE_URL: db.url });
      try {
        expect(await (await fetch(`${server.url}/api/ready`)).json()).toMatchObject({ status: 'ready', database: 'postgres' });
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    } finally {
      await db.drop();
    }
  });
});
