import type { CaseId, MemberId } from '../../../core/index.js';
import type { CaseTasksResponse, MyTasksResponse } from '../../../core/api/casework.js';
import { utcDay } from '../../../core/domain/casework.js';
import type { Database } from '../../db/database.js';
import { listCaseTasks as readCaseTasks, listOpenTasksOf } from '../repository/tasks.js';
import { authorizeOnCase } from './workflow-guards.js';
import { taskView } from './workflow-views.js';

/** The most tasks "my tasks" lists; the oldest due come first, so nothing urgent is cut off. */
const myTasksLimit = 500;

/** A case's tasks, open first by due day, each with its urgency. */
export async function listCaseTasks(database: Database, props: { actorId: MemberId; caseId: CaseId }): Promise<CaseTasksResponse> {
  await authorizeOnCase(database.db, props.actorId, props.caseId, 'case.tasks');
  const today = utcDay(new Date());
  return { tasks: (await readCaseTasks(database.db, props.caseId)).map((t) => taskView(t, today)) };
}

/** The caller's open tasks across the cases that are not closed, by due day, with overdue and due-soon computed here. */
export async function listMyTasks(database: Database, props: { actorId: MemberId }): Promise<MyTasksResponse> {
  const today = utcDay(new Date());
  const rows = await listOpenTasksOf(database.db, props.actorId, myTasksLimit);
  return { tasks: rows.map((t) => ({ ...taskView(t, today), caseCode: t.caseCode })) };
}
