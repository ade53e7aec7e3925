import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  ClearingError,
  decodeOrganizationPublicKey,
  fromBase64url,
  organizationFingerprint,
  verifyAuditLog,
  type AuditEntry,
} from '../../core/index.js';
import { allAuditEntries, allTreeHeads, dataDirLayout, lockDataDir, openDatabase, prepareDataDir, type Database } from '../../server/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { configFromOptions, withServerOptions } from './server-options.js';

/** Opens the database the way `migrate` does: the data-directory lock is held while the embedded database is open. */
async function withDatabase<T>(options: Record<string, string | undefined>, fn: (db: Database) => Promise<T>): Promise<T> {
  const config = configFromOptions(options);
  const layout = prepareDataDir(config.dataDir);
  const lock = config.databaseUrl ? null : lockDataDir(layout);
  try {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: dataDirLayout(config.dataDir).pglite });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description(t('adminDescription'));
  withServerOptions(admin.command('fingerprint').description(t('fingerprintDescription')), { listen: false }).action(async (options: Record<string, string | undefined>) => {
    try {
      await withDatabase(options, async (database) => {
        const org = await database.db.selectFrom('organization').select(['name', 'public_key']).executeTakeFirst();
        if (!org?.public_key) throw new ClearingError('NOT_SET_UP', 'This server has not been set up yet.', { status: 409 });
        process.stdout.write(`${t('fingerprintOf', { organization: org.name })}\n${organizationFingerprint(decodeOrganizationPublicKey(org.public_key))}\n`);
      });
    } catch (error) {
      fail(error);
    }
  });

  const audit = program.command('audit').description(t('auditDescription'));
  withServerOptions(audit.command('verify').description(t('auditVerifyDescription')), { listen: false }).action(async (options: Record<string, string | undefined>) => {
    try {
      await withDatabase(options, async (database) => {
        const key = await database.db.selectFrom('audit_log_key').select('public_key').executeTakeFirst();
        const entries: (AuditEntry & { leafHash: string })[] = [];
        const total = Number((await database.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
        const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: `${t('auditReading')} [{bar}] {value}/{total}` }, cliProgress.Presets.shades_classic) : null;
        bar?.start(total, 0);
        for await (const e of allAuditEntries(database.db)) {
          entries.push(e);
          if (entries.length % 1000 === 0) bar?.update(entries.length);
        }
        bar?.update(entries.length);
        bar?.stop();
        const heads = await allTreeHeads(database.db);
        if (!key) {
          if (entries.length === 0) {
            process.stdout.write(`${t('auditEmpty')}\n`);
            return;
          }
          throw new ClearingError('AUDIT_TAMPERED', 'The audit log key is missing.', { params: { seq: '-', problem: 'log key missing' } });
        }
        const result = verifyAuditLog({ logPublicKey: fromBase64url(key.public_key, 32), entries, heads });
        if (!result.ok) {
          const first = result.problems[0]!;
          for (const p of result.problems.slice(0, 20)) process.stderr.write(`  ${t('auditProblem', { seq: p.seq ?? '-', problem: p.problem })}\n`);
          throw new ClearingError('AUDIT_TAMPERED', 'The audit log was altered.', { params: { seq: first.seq ?? '-', problem: first.problem, count: result.problems.length } });
        }
        process.stdout.write(`${t('auditOk', { entries: result.entries, heads: result.heads, root: result.root })}\n`);
      });
    } catch (error) {
      fail(error);
    }
  });
}
