import { auditLeafHash, type AuditEntry } from '../../core/index.js';
import type { Executor } from '../db/executor.js';
import { insertAuditEntry, lastAuditSeq, lockAuditAppends } from './repository/index.js';
import type { AuditEntryInput } from './types.js';

/**
 * Appends one entry. Call it inside the transaction of the action it records,
 * so the entry exists exactly when the action happened. The lock is held until
 * that transaction ends, so the next appender reads this entry's seq only once
 * it is committed (or gone): seqs stay gapless even across servers. Under
 * READ COMMITTED (the default) each statement sees what committed before the lock
 * was granted; a REPEATABLE READ caller could read a stale max(seq) and fail on the key.
 */
export async function appendAuditEntry(db: Executor, input: AuditEntryInput): Promise<AuditEntry> {
  // Outside a transaction the advisory lock would end with its own statement and protect nothing.
  if (!db.isTransaction) throw new Error('appendAuditEntry must run inside the transaction of the action it records');
  await lockAuditAppends(db);
  const last = await lastAuditSeq(db);
  const entry: AuditEntry = {
    seq: last === null ? 0 : last + 1,
    occurredAt: new Date().toISOString(),
    action: input.action,
    actorId: input.actorId,
    subjectId: input.subjectId ?? null,
    detail: input.detail ?? {},
  };
  await insertAuditEntry(db, entry, auditLeafHash(entry));
  return entry;
}
