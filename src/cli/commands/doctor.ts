import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ServerConfig } from '../../server/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { configFromOptions, server, withServerOptions } from './server-options.js';

type Outcome = 'ok' | 'warn' | 'fail';
interface Check {
  outcome: Outcome;
  text: string;
}

const MiB = 1024 * 1024;
export const diskFailBelow = 256 * MiB;
export const diskWarnBelow = 2048 * MiB;

function formatBytes(n: number): string {
  return n >= 1024 * MiB ? `${(n / (1024 * MiB)).toFixed(1)} GiB` : `${Math.round(n / MiB)} MiB`;
}

/** Runs every check; never changes anything (a missing data directory is not created). */
export async function runChecks(config: ServerConfig): Promise<Check[]> {
  const { dataDirHolder, dataDirLayout, describeDatabase, freeDiskBytes, lockDataDir, migrationStatus, openDatabase } = await server();
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  checks.push(
    major > 20 || (major === 20 && minor >= 19)
      ? { outcome: 'ok', text: t('checkNode', { version: process.versions.node }) }
      : { outcome: 'fail', text: t('checkNodeOld', { version: process.versions.node }) },
  );

  const layout = dataDirLayout(config.dataDir);
  const exists = existsSync(layout.root);
  if (!exists) {
    checks.push({ outcome: 'warn', text: t('checkDataDirMissing', { dir: layout.root }) });
  } else {
    try {
      if (!statSync(layout.root).isDirectory()) throw new Error('not a directory');
      accessSync(layout.root, constants.R_OK | constants.W_OK);
      checks.push({ outcome: 'ok', text: t('checkDataDir', { dir: layout.root }) });
    } catch (e) {
      checks.push({ outcome: 'fail', text: t('checkDataDirBad', { dir: layout.root, reason: (e as Error).message }) });
    }
  }

  const holder = exists ? dataDirHolder(layout) : null;
  checks.push(holder ? { outcome: 'ok', text: t('checkLockHeld', { pid: holder.pid, since: holder.startedAt }) } : { outcome: 'ok', text: t('checkLockFree') });

  const database = describeDatabase(config);
  if (holder && !config.databaseUrl) {
    checks.push({ outcome: 'warn', text: t('checkDbSkipped') });
  } else if (!config.databaseUrl && !existsSync(layout.pglite)) {
    checks.push({ outcome: 'warn', text: t('checkDataDirMissing', { dir: layout.pglite }) });
  } else {
    // Hold the lock while the embedded database is open, so a server cannot start on it meanwhile.
    const lock = config.databaseUrl ? null : lockDataDir(layout);
    try {
      const db = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: layout.pglite });
      try {
        checks.push({ outcome: 'ok', text: t('checkDb', { database }) });
        const status = await migrationStatus(db);
        if (status.unknown.length > 0) checks.push({ outcome: 'fail', text: t('checkMigrationsUnknown', { list: status.unknown.join(', ') }) });
        if (status.modified.length > 0) checks.push({ outcome: 'fail', text: t('checkMigrationsModified', { list: status.modified.join(', ') }) });
        checks.push(
          status.pending.length > 0
            ? { outcome: 'warn', text: t('checkMigrationsPending', { count: status.pending.length }) }
            : { outcome: 'ok', text: t('checkMigrations', { count: status.applied.length }) },
        );
      } finally {
        await db.close();
      }
    } catch (e) {
      checks.push({ outcome: 'fail', text: t('checkDbBad', { database, reason: (e as Error).message }) });
    } finally {
      lock?.release();
    }
  }

  if (exists) {
    const { readSetupCode, serverSecretFile } = await server();
    checks.push(
      existsSync(join(layout.root, serverSecretFile))
        ? { outcome: 'ok', text: t('checkServerSecret') }
        : { outcome: 'warn', text: t('checkServerSecretMissing', { dir: layout.root }) },
    );
    // Shown so the operator can finish first-run setup; the file is gone once setup is done.
    const code = readSetupCode(layout.root);
    if (code) checks.push({ outcome: 'warn', text: t('checkSetupCode', { code }) });
  }

  const diskPath = exists ? layout.root : process.cwd();
  const free = freeDiskBytes(diskPath);
  checks.push(
    free < diskFailBelow
      ? { outcome: 'fail', text: t('checkDiskLow', { free: formatBytes(free) }) }
      : free < diskWarnBelow
        ? { outcome: 'warn', text: t('checkDiskLow', { free: formatBytes(free) }) }
        : { outcome: 'ok', text: t('checkDisk', { free: formatBytes(free) }) },
  );

  checks.push(
    existsSync(join(config.webDir, 'index.html'))
      ? { outcome: 'ok', text: t('checkWeb', { dir: config.webDir }) }
      : { outcome: 'warn', text: t('checkWebMissing', { dir: config.webDir }) },
  );

  const { nativeCipherProblem } = await import('../../server/file-cipher/index.js');
  const cipherProblem = nativeCipherProblem();
  checks.push(
    cipherProblem === null
      ? { outcome: 'ok', text: t('checkNativeCipher') }
      : { outcome: 'warn', text: t('checkNativeCipherMissing', { reason: cipherProblem }) },
  );
  return checks;
}

const marks: Record<Outcome, string> = { ok: '✓', warn: '!', fail: '✗' };

export function registerDoctor(program: Command): void {
  withServerOptions(program.command('doctor').description(t('doctorDescription')), { listen: false })
    .option('--json', t('optJson'))
    .action(async (options: Record<string, string | boolean | undefined>) => {
      try {
        const checks = await runChecks(await configFromOptions(options));
        const failed = checks.filter((c) => c.outcome === 'fail').length;
        const warned = checks.filter((c) => c.outcome === 'warn').length;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ok: failed === 0, checks })}\n`);
        } else {
          process.stdout.write(`${t('doctorTitle')}\n`);
          for (const c of checks) process.stdout.write(`  ${marks[c.outcome]} ${c.text}\n`);
          process.stdout.write(`${failed > 0 ? t('doctorFailed', { count: failed }) : warned > 0 ? t('doctorWarnings', { count: warned }) : t('doctorOk')}\n`);
        }
        process.exitCode = failed > 0 ? 1 : 0;
      } catch (error) {
        fail(error);
      }
    });
}
