import { ClearingError, type CaseId, type MemberId, type TaskState } from '../../../core/index.js';
import type { CaseTask } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { refreshTaskSummary } from '../repository/case-workflow.js';
import { insertNotifications } from '../repository/notifications.js';
import { findTask, updateTask as writeTask, type TaskChange } from '../repository/tasks.js';
import { assertAssignable } from './task-guards.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { taskView } from './workflow-views.js';

export interface UpdateTaskProps {
  actorId: MemberId;
  caseId: CaseId;
  taskId: string;
  state?: TaskState;
  dueOn?: string | null;
  assigneeId?: MemberId | null;
}

/**
 * Changes a task of an open case: its state (done, cancelled, open again),
 * due day or assignee, by a holder of its compartment or a manager of the case. The case row is locked first, so concurrent changes
 * to its tasks run one after another and its summary stays exact.
 */
export async function updateTask(database: Database, props: UpdateTaskProps): Promise<CaseTask> {
  const { actorId, caseId, taskId } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row, actor, record } = await openCaseFor(tx, actorId, caseId, 'case.tasks');
    assertOpen(row);
    const task = await findTask(tx, caseId, taskId);
    if (!task) throw new ClearingError('TASK_NOT_FOUND', { status: 404 });
    // Whoever can read the title, or manages the case, may change the task; a holder of another compartment may not.
    const manages = actor.role === 'administrator' || record.ownerId === actorId || record.specialistIds.includes(actorId);
    if (!manages && !record.held.includes(task.compartment)) throw new ClearingError('CASE_NOT_HOLDER', { status: 403 });
    const change: TaskChange = {};
    if (props.state !== undefined && props.state !== task.state) change.state = props.state;
    if (props.dueOn !== undefined && props.dueOn !== task.dueOn) change.dueOn = props.dueOn;
    if (props.assigneeId !== undefined && props.assigneeId !== task.assigneeId) {
      if (props.assigneeId !== null) await assertAssignable(tx, caseId, task.compartment, props.assigneeId);
      change.assigneeId = props.assigneeId;
    }
    if (Object.keys(change).length === 0) return taskView(task);
    const updated = await writeTask(tx, caseId, taskId, change);
    await refreshTaskSummary(tx, caseId);
    await appendAuditEntry(tx, {
      action: 'case.task_updated',
      actorId,
      subjectId: caseId,
      detail: {
        taskId,
        ...(change.state === undefined ? {} : { from: task.state, to: change.state }),
        ...(change.dueOn === undefined ? {} : { dueOn: change.dueOn }),
        ...(change.assigneeId === undefined ? {} : { assigneeId: change.assigneeId }),
      },
    });
    if (change.assigneeId && change.assigneeId !== actorId) {
      await insertNotifications(tx, [{ memberId: change.assigneeId, kind: 'task_assigned', caseId, taskId, actorId }]);
    }
    return taskView(updated);
  });
}
