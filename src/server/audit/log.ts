import { sql } from 'kysely';
import { auditLeafHash, type AuditEntry } from '../../core/index.js';
import type { Executor } from '../db/executor.js';
import type { AuditEntryInput } from './types.js';

/** Serialises appenders across connections and servers sharing one database. */
const AUDIT_APPEND_LOCK = 0x41756469; // "Audi"

/**
 * Appends one entry. Call it inside the transaction of the action it records,
 * so the entry exists exactly when the action happened.
 */
export async function appendAuditEntry(db: Executor, input: AuditEntryInput): Promise<AuditEntry> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(db);
  const last = await db.selectFrom('audit_entries').select(sql<string | null>`max(seq)::text`.as('seq')).executeTakeFirst();
  const entry: AuditEntry = {
    seq: last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq) + 1,
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
