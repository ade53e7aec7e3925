import { sql } from 'kysely';
import { asMemberId, isUuid, type CaseId, type MemberId } from '../../../core/index.js';
import { isNotificationKind, type NotificationKind } from '../../../core/domain/casework.js';
import type { Executor } from '../../db/executor.js';

/** In-app notifications (notifications): a kind and ids, codes in `detail`; never content. */
export interface NotificationRow {
  id: string;
  kind: NotificationKind;
  caseId: CaseId | null;
  caseCode: string | null;
  taskId: string | null;
  actorId: MemberId | null;
  detail: Record<string, string | number | boolean | null>;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  memberId: MemberId;
  kind: NotificationKind;
  caseId: CaseId | null;
  taskId?: string | null;
  actorId: MemberId | null;
  detail?: Record<string, string | number | boolean | null>;
}

export async function insertNotifications(db: Executor, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('notifications')
    .values(
      rows.map((n) => ({
        member_id: n.memberId,
        kind: n.kind,
        case_id: n.caseId,
        task_id: n.taskId ?? null,
        actor_id: n.actorId,
        detail: JSON.stringify(n.detail ?? {}),
      })),
    )
    .execute();
}

/**
 * One page of a member's notifications, newest first. `before` is the id of
 * the last one of the previous page (an id rather than an instant: two can
 * share a microsecond).
 */
export async function listNotifications(
  db: Executor,
  memberId: MemberId,
  page: { before?: string; limit: number },
): Promise<{ rows: NotificationRow[]; more: boolean }> {
  let query = db
    .selectFrom('notifications as n')
    .leftJoin('cases as c', 'c.id', 'n.case_id')
    .select(['n.id', 'n.kind', 'n.case_id', 'c.code as case_code', 'n.task_id', 'n.actor_id', 'n.detail', 'n.created_at', 'n.read_at'])
    .where('n.member_id', '=', memberId);
  if (page.before !== undefined && isUuid(page.before)) {
    const before = page.before;
    query = query.where((eb) =>
      eb(
        eb.refTuple('n.created_at', 'n.id'),
        '<',
        eb.selectFrom('notifications as p').select(['p.created_at', 'p.id']).where('p.id', '=', before).where('p.member_id', '=', memberId) as never,
      ),
    );
  }
  const rows = await query
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return {
    more: rows.length > page.limit,
    rows: rows.slice(0, page.limit).flatMap((r) =>
      isNotificationKind(r.kind)
        ? [
            {
              id: r.id,
              kind: r.kind,
              caseId: r.case_id as CaseId | null,
              caseCode: r.case_code ?? null,
              taskId: r.task_id,
              actorId: r.actor_id === null ? null : asMemberId(r.actor_id),
              detail: r.detail ?? {},
              createdAt: r.created_at,
              readAt: r.read_at,
            },
          ]
        : [],
    ),
  };
}

export async function countUnreadNotifications(db: Executor, memberId: MemberId): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('member_id', '=', memberId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many of `ids` are the member's (read or not). */
export async function countOwnNotifications(db: Executor, memberId: MemberId, ids: readonly string[]): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('member_id', '=', memberId)
    .where('id', 'in', [...ids])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the member's notifications read: these ids, or all of them. Already read ones keep their time. */
export async function markNotificationsRead(db: Executor, memberId: MemberId, ids: readonly string[] | 'all'): Promise<void> {
  let query = db.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('member_id', '=', memberId).where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', [...ids]);
  await query.execute();
}
