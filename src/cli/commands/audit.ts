import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { AuditLogVerifier, auditLogKeyFingerprint, ClearingError, toBase64url, type LogProblem, type SignedTreeHead } from '../../core/index.js';
import { fail } from '../fail.js';
import { t } from '../i18n.js';
import { server, withServerOptions } from './server-options.js';
import { withDatabase } from './with-database.js';

/** A head kept outside the database: what the audit page offers to save, or a bare signed head. */
interface SavedHead {
  head: SignedTreeHead;
  logPublicKey: string | null;
}

function readSavedHead(file: string): SavedHead {
  const invalid = () => new ClearingError('AUDIT_HEAD_INVALID', { params: { file } });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw invalid();
  }
  const outer = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const head = (typeof outer.head === 'object' && outer.head !== null ? outer.head : outer) as Record<string, unknown>;
  const shaped =
    Number.isSafeInteger(head.size) && (head.size as number) >= 0 && ['rootHash', 'timestamp', 'logId', 'signature'].every((f) => typeof head[f] === 'string');
  if (!shaped) throw invalid();
  return { head: head as unknown as SignedTreeHead, logPublicKey: typeof outer.logPublicKey === 'string' ? outer.logPublicKey : null };
}

function describe(p: LogProblem): string {
  const problem = t(`auditKind_${p.kind}`);
  if (p.headSize === undefined) return t('auditProblemEntry', { seq: p.seq, problem });
  if (p.lastSeq === undefined || p.lastSeq === p.seq) return t('auditProblemHead', { seq: p.seq, size: p.headSize, problem });
  return t('auditProblemRange', { seq: p.seq, last: p.lastSeq, size: p.headSize, problem });
}

function tampered(seq: number | string, line: string, count = 1): ClearingError {
  return new ClearingError('AUDIT_TAMPERED', { status: 500, params: { seq, problem: line, count } });
}

/**
 * `clearing audit verify`: the whole log checked offline, straight from the
 * database, with no server running and nothing trusted but the entries'
 * own fields, the log key and the heads it signed.
 */
async function verify(options: Record<string, string | string[] | undefined>): Promise<void> {
  const saved = ((options.head as string[] | undefined) ?? []).map(readSavedHead);
  const { allAuditEntries, allTreeHeads, auditTablesExist, countAuditEntries, readAuditLogPublicKey } = await server();
  await withDatabase(options as Record<string, string | undefined>, async (database) => {
    const db = database.db;
    if (!(await auditTablesExist(db))) throw new ClearingError('MIGRATIONS_PENDING', { status: 503 });
    const key = await readAuditLogPublicKey(db);
    const total = await countAuditEntries(db);
    const recorded = await allTreeHeads(db);
    if (!key) {
      // A log nobody has written to or read yet has no key; anything else without one was tampered with.
      if (total === 0 && recorded.length === 0 && saved.length === 0) {
        process.stdout.write(`${t('auditEmpty')}\n`);
        return;
      }
      throw tampered('-', t('auditKind_log_key_missing'));
    }

    const verifier = new AuditLogVerifier(key);
    const bar =
      process.stderr.isTTY && total > 0
        ? new cliProgress.SingleBar({ format: `${t('auditChecking')} [{bar}] {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic)
        : null;
    bar?.start(total, 0);
    for await (const entry of allAuditEntries(db)) {
      verifier.add(entry);
      if (verifier.size % 1000 === 0) bar?.update(verifier.size);
    }
    bar?.update(verifier.size);
    bar?.stop();

    const result = verifier.finish([...recorded, ...saved.map((s) => s.head)]);
    const lines: string[] = [];
    if (saved.some((s) => s.logPublicKey !== null && s.logPublicKey !== toBase64url(key))) lines.push(t('auditKind_log_key'));
    lines.push(...result.problems.map(describe));
    if (lines.length > 0) {
      for (const line of lines.slice(0, 20)) process.stderr.write(`  ${line}\n`);
      if (lines.length > 20) process.stderr.write(`  ${t('auditProblemMore', { count: lines.length - 20 })}\n`);
      throw tampered(result.problems[0]?.seq ?? '-', lines[0]!, lines.length);
    }
    process.stdout.write(`${t('auditOk', { entries: result.entries, heads: result.heads, root: result.root })}\n`);
    process.stdout.write(`${t('auditLogKey', { fingerprint: auditLogKeyFingerprint(key) })}\n`);
  });
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description(t('auditDescription'));
  withServerOptions(audit.command('verify').description(t('auditVerifyDescription')), { listen: false })
    .option('--head <file>', t('auditVerifyHead'), (file: string, previous: string[] | undefined) => [...(previous ?? []), file])
    .action(async (options: Record<string, string | string[] | undefined>) => {
      try {
        await verify(options);
      } catch (error) {
        fail(error);
      }
    });
}
