import { taskSoonDays } from '../../../core/index.js';
import { taskUrgency, utcDay } from '../../../core/domain/casework.js';
import type { CaseFlagView, CaseSpecialist, CaseTask, CaseWorkflowState } from '../../../core/api/casework.js';
import type { CaseWorkflowRow } from '../repository/case-workflow.js';
import type { CaseFlagRow } from '../repository/flags.js';
import type { CaseSpecialistRow } from '../repository/specialists.js';
import type { TaskRow } from '../repository/tasks.js';

/** How the workflow use cases answer: the shapes of src/core/api/casework.ts. */

export function workflowState(row: CaseWorkflowRow): CaseWorkflowState {
  return {
    caseId: row.id,
    code: row.code,
    status: row.status,
    priority: row.priority,
    ownerId: row.ownerId,
    outcome: row.outcome,
    closedAt: row.closedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function specialistView(row: CaseSpecialistRow): CaseSpecialist {
  return { memberId: row.memberId, kind: row.kind, addedBy: row.addedBy, addedAt: row.addedAt.toISOString() };
}

export function flagView(row: CaseFlagRow): CaseFlagView {
  return { flag: row.flag, setBy: row.setBy, setAt: row.setAt.toISOString() };
}

/** A task with its urgency computed on the server's UTC day `today`. */
export function taskView(row: TaskRow, today: string = utcDay(new Date())): CaseTask {
  return {
    taskId: row.id,
    caseId: row.caseId,
    recordId: row.recordId,
    compartment: row.compartment,
    assigneeId: row.assigneeId,
    dueOn: row.dueOn,
    state: row.state,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    ...taskUrgency(row, today, taskSoonDays),
  };
}
