import { sql } from 'kysely';
import type { CaseId, MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** A case's history is the audit log read by subject (audit_entries_subject): every entry whose subject is the case. */
export interface TimelineRow {
  seq: number;
  occurredAt: string;
  action: string;
  actorId: string | null;
  detail: Record<string, unknown>;
  leafHash: string;
}

/** Newest first; `nextBefore` is the seq to pass for the following page, null on the last. */
export async function listCaseTimeline(
  db: Executor,
  caseId: CaseId,
  page: { before?: number; limit: number },
): Promise<{ entries: TimelineRow[]; nextBefore: number | null }> {
  let query = db.selectFrom('audit_entries').select(['seq', 'occurred_at', 'action', 'actor_id', 'detail', 'leaf_hash']).where('subject_id', '=', caseId);
  if (page.before !== undefined) query = query.where('seq', '<', page.before);
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(page.limit + 1)
    .execute();
  const entries = rows.slice(0, page.limit).map((r) => ({
    seq: Number(r.seq),
    occurredAt: new Date(r.occurred_at).toISOString(),
    action: r.action,
    actorId: r.actor_id,
    detail: (r.detail ?? {}) as Record<string, unknown>,
    leafHash: r.leaf_hash,
  }));
  return { entries, nextBefore: rows.length > page.limit ? entries[entries.length - 1]!.seq : null };
}

/** Whether the member asked for this compartment of the case since `since` (the audit log is the record of asking). */
export async function hasRecentAccessRequest(db: Executor, caseId: CaseId, memberId: MemberId, compartment: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('audit_entries')
    .select('seq')
    .where('subject_id', '=', caseId)
    .where('action', '=', 'case.access_requested')
    .where('actor_id', '=', memberId)
    .where(sql`detail->>'compartment'`, '=', compartment)
    .where('occurred_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
