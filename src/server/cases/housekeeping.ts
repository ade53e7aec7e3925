import { utcDay } from '../../core/domain/casework.js';
import type { Database } from '../db/database.js';
import { insertNotifications } from './repository/notifications.js';
import { claimOverdueTasks } from './repository/tasks.js';

/** How many overdue tasks one transaction reports; the loop goes on until none is left. */
const overdueBatch = 500;

/**
 * Tells the assignee (or, for an unassigned task, the case's owner) once
 * about each open task of an open case whose day is over. A task is marked
 * in the same transaction as its notification, so a crash reports it later,
 * never twice; a new due day re-arms it (src/server/cases/repository/tasks.ts).
 */
export async function notifyOverdueTasks(database: Database, now: Date = new Date()): Promise<number> {
  const today = utcDay(now);
  let total = 0;
  for (;;) {
    const claimed = await database.db.transaction().execute(async (tx) => {
      const tasks = await claimOverdueTasks(tx, today, overdueBatch);
      await insertNotifications(
        tx,
        tasks.flatMap((t) =>
          t.notifyId === null ? [] : [{ memberId: t.notifyId, kind: 'task_overdue' as const, caseId: t.caseId, taskId: t.taskId, actorId: null }],
        ),
      );
      return tasks.length;
    });
    total += claimed;
    if (claimed < overdueBatch) return total;
  }
}
