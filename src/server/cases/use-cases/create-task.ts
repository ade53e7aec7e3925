import { ClearingError, type CaseCompartmentName, type CaseId, type MemberId, type RecordId } from '../../../core/index.js';
import type { CaseTask } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { refreshTaskSummary } from '../repository/case-workflow.js';
import { insertNotifications } from '../repository/notifications.js';
import { findTask, insertTask, taskRecordExists } from '../repository/tasks.js';
import { assertAssignable } from './task-guards.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { taskView } from './workflow-views.js';

export interface CreateTaskProps {
  actorId: MemberId;
  caseId: CaseId;
  /** Chosen by the browser, so a retried request finds its task. */
  taskId: string;
  /** The title: a record of kind `task` in `compartment`, written through the records endpoint first. */
  recordId: RecordId;
  compartment: CaseCompartmentName;
  assigneeId: MemberId | null;
  dueOn: string | null;
}

/**
 * Adds a task to an open case. The actor holds the compartment of its
 * title, the title record exists there, and an assignee can read it; the
 * case's open-task count and next due day change in the same transaction.
 */
export async function createTask(database: Database, props: CreateTaskProps): Promise<CaseTask> {
  const { actorId, caseId, taskId, recordId, compartment, assigneeId, dueOn } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row, record } = await openCaseFor(tx, actorId, caseId, 'case.tasks');
    assertOpen(row);
    if (!record.held.includes(compartment)) throw new ClearingError('CASE_NOT_HOLDER', { status: 403 });
    if (!(await taskRecordExists(tx, caseId, recordId, compartment))) throw new ClearingError('RECORD_NOT_FOUND', { status: 404 });
    if (assigneeId !== null) await assertAssignable(tx, caseId, compartment, assigneeId);
    if (!(await insertTask(tx, { id: taskId, caseId, recordId, compartment, assigneeId, dueOn, createdBy: actorId }))) {
      // A retry of the same request answers the task it made; any other use of the id is a conflict.
      const existing = await findTask(tx, caseId, taskId);
      if (existing && existing.recordId === recordId && existing.compartment === compartment) return taskView(existing);
      throw new ClearingError('RECORD_CONFLICT', { status: 409 });
    }
    await refreshTaskSummary(tx, caseId);
    await appendAuditEntry(tx, {
      action: 'case.task_created',
      actorId,
      subjectId: caseId,
      detail: { taskId, compartment, assigneeId, dueOn },
    });
    if (assigneeId !== null && assigneeId !== actorId) {
      await insertNotifications(tx, [{ memberId: assigneeId, kind: 'task_assigned', caseId, taskId, actorId }]);
    }
    const task = await findTask(tx, caseId, taskId);
    if (!task) throw new ClearingError('TASK_NOT_FOUND', { status: 404 });
    return taskView(task);
  });
}
