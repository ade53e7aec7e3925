import { ClearingError, type MemberId } from '../../../core/index.js';
import type { NotificationsResponse, UnreadCountResponse } from '../../../core/api/casework.js';
import type { Database } from '../../db/database.js';
import {
  countOwnNotifications,
  countUnreadNotifications,
  listNotifications as readNotifications,
  markNotificationsRead as markRead,
} from '../repository/notifications.js';

/** A member's own notifications: listing, counting and marking read. Nobody reads another member's. */

export async function listNotifications(database: Database, props: { actorId: MemberId; before?: string; limit?: number }): Promise<NotificationsResponse> {
  const limit = Math.min(Math.max(props.limit ?? 50, 1), 100);
  const page = await readNotifications(database.db, props.actorId, { before: props.before, limit });
  const notifications = page.rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    caseId: n.caseId,
    caseCode: n.caseCode,
    taskId: n.taskId,
    actorId: n.actorId,
    detail: n.detail,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  }));
  return {
    notifications,
    nextBefore: page.more ? notifications[notifications.length - 1]!.id : null,
    unread: await countUnreadNotifications(database.db, props.actorId),
  };
}

export async function countUnread(database: Database, props: { actorId: MemberId }): Promise<UnreadCountResponse> {
  return { unread: await countUnreadNotifications(database.db, props.actorId) };
}

/** Marks these notifications (all of them the caller's, or NOTIFICATION_NOT_FOUND and nothing changes) or all read. */
export async function markNotificationsRead(database: Database, props: { actorId: MemberId; ids: readonly string[] | 'all' }): Promise<UnreadCountResponse> {
  const { actorId, ids } = props;
  return database.db.transaction().execute(async (tx) => {
    if (ids !== 'all') {
      const unique = [...new Set(ids)];
      if (unique.length === 0 || (await countOwnNotifications(tx, actorId, unique)) !== unique.length) {
        throw new ClearingError('NOTIFICATION_NOT_FOUND', { status: 404 });
      }
      await markRead(tx, actorId, unique);
    } else await markRead(tx, actorId, 'all');
    return { unread: await countUnreadNotifications(tx, actorId) };
  });
}
