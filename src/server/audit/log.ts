import { sql } from 'kysely';
import { auditLeafHash, type AuditEntry } from '../../core/index.js';
import type { Executor } from '../db/executor.js';
import type { AuditEntryInput } from './types.js';

/** Serialises appenders across connections and servers sharing one database. */
const AUDIT_APPEND_LOCK = 0x41756469; // "Audi"

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
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_entries').select(sql<string | null>`max(seq)::text`.as('seq')).executeTakeFirstOrThrow();
  const entry: AuditEntry = {
    seq: last.seq === null ? 0 : Number(last.seq) + 1,
    occurredAt: new Date().toISOString(),
    action: input.action,
    actorId: input.actorId,
    subjectId: input.subjectId ?? null,
    detail: input.detail ?? {},
  };
  await db
    .insertInto('audit_entries')
    .values({
      seq: entry.seq,
      occurred_at: entry.occurredAt,
      action: entry.action,
      actor_id: entry.actorId,
      subject_id: entry.subjectId,
      detail: JSON.stringify(entry.detail),
      leaf_hash: auditLeafHash(entry),
    })
    .execute();
  return entry;
}
