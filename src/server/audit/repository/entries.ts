import { sql } from 'kysely';
import type { AuditEntry, SignedTreeHead, StoredAuditEntry } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Reading the log back: the page's filtered listing and the offline check's full scan. */

export interface AuditQuery {
  action?: string;
  /** A member id, matched as the one who acted or the one acted upon. */
  member?: string;
  from?: Date;
  to?: Date;
  /** Only entries with a smaller seq: the cursor of the next page. */
  before?: number;
  limit: number;
}

interface AuditRow {
  seq: string | number;
  occurred_at: Date | string;
  action: string;
  actor_id: string | null;
  subject_id: string | null;
  detail: StoredAuditEntry['detail'] | null;
  leaf_hash: string;
}

const columns = ['seq', 'occurred_at', 'action', 'actor_id', 'subject_id', 'detail', 'leaf_hash'] as const;

/** A row as the entry its leaf hash commits to (bigint seq as a number, the instant in one ISO form). */
export function storedEntry(r: AuditRow): StoredAuditEntry {
  return {
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at).toISOString(),
    action: r.action,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    detail: r.detail ?? {},
    leafHash: r.leaf_hash,
  };
}

/** Newest first; `nextBefore` is the cursor of the following page, null on the last. */
export async function queryAuditEntries(db: Executor, q: AuditQuery): Promise<{ entries: StoredAuditEntry[]; nextBefore: number | null }> {
  let query = db.selectFrom('audit_entries').select(columns);
  if (q.action) query = query.where('action', '=', q.action);
  if (q.member) {
    const member = q.member;
    query = query.where((eb) => eb.or([eb('actor_id', '=', member), eb('subject_id', '=', member)]));
  }
  if (q.from) query = query.where('occurred_at', '>=', q.from);
  if (q.to) query = query.where('occurred_at', '<', q.to);
  if (q.before !== undefined) query = query.where('seq', '<', q.before);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit).map(storedEntry);
  return { entries: page, nextBefore: rows.length > q.limit ? page[page.length - 1]!.seq : null };
}

/** Every entry in log order, a page at a time, so a large log is never held twice. */
export async function* allAuditEntries(db: Executor, pageSize = 5000): AsyncGenerator<StoredAuditEntry> {
  let after = -1;
  for (;;) {
    const rows = await db.selectFrom('audit_entries').select(columns).where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) yield storedEntry(r);
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function countAuditEntries(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every signed head the server ever issued, smallest first. */
export async function allTreeHeads(db: Executor): Promise<SignedTreeHead[]> {
  const rows = await db.selectFrom('audit_tree_heads').select('signed_head').orderBy('size').execute();
  return rows.map((r) => r.signed_head);
}

/** Whether the database has the audit tables at all (a database never migrated has none). */
export async function auditTablesExist(db: Executor): Promise<boolean> {
  const r = await sql<{
    ok: boolean;
  }>`SELECT to_regclass('audit_entries') IS NOT NULL AND to_regclass('audit_tree_heads') IS NOT NULL AND to_regclass('audit_log_key') IS NOT NULL AS ok`.execute(
    db,
  );
  return r.rows[0]?.ok === true;
}

// ── Appending and the tree's leaves ──

/** Serialises appenders across connections and servers sharing one database. */
const AUDIT_APPEND_LOCK = 0x41756469; // "Audi"

/** Takes the append lock until the transaction ends (pg_advisory_xact_lock). */
export async function lockAuditAppends(db: Executor): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_APPEND_LOCK})`.execute(db);
}

/** The seq of the last entry, or null for an empty log. */
export async function lastAuditSeq(db: Executor): Promise<number | null> {
  const last = await db.selectFrom('audit_entries').select(sql<string | null>`max(seq)::text`.as('seq')).executeTakeFirstOrThrow();
  return last.seq === null ? null : Number(last.seq);
}

export async function insertAuditEntry(db: Executor, entry: AuditEntry, leafHash: string): Promise<void> {
  await db
    .insertInto('audit_entries')
    .values({
      seq: entry.seq,
      occurred_at: entry.occurredAt,
      action: entry.action,
      actor_id: entry.actorId,
      subject_id: entry.subjectId,
      detail: JSON.stringify(entry.detail),
      leaf_hash: leafHash,
    })
    .execute();
}

/** Leaf hashes with from <= seq < to, in order, at most `limit`. */
export async function auditLeaves(db: Executor, from: number, to: number, limit: number): Promise<{ seq: number; leafHash: string }[]> {
  const rows = await db
    .selectFrom('audit_entries')
    .select(['seq', 'leaf_hash'])
    .where('seq', '>=', from)
    .where('seq', '<', to)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), leafHash: r.leaf_hash }));
}

export async function auditLeafAt(db: Executor, seq: number): Promise<string | null> {
  const row = await db.selectFrom('audit_entries').select('leaf_hash').where('seq', '=', seq).executeTakeFirst();
  return row?.leaf_hash ?? null;
}
