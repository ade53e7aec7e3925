/** The working life of a case: one use case per file (decision 0013); what the casework routes call. */
export { changeCaseStatus, type ChangeCaseStatusProps } from './change-case-status.js';
export { closeCase, type CloseCaseProps } from './close-case.js';
export { reopenCase, type ReopenCaseProps } from './reopen-case.js';
export { changeCasePriority, type ChangeCasePriorityProps } from './change-case-priority.js';
export { assignCase, type AssignCaseProps } from './assign-case.js';
export { escalateCase, type EscalateCaseProps } from './escalate-case.js';
export { setCaseFlag, type SetCaseFlagProps } from './set-case-flag.js';
export { removeCaseFlag, type RemoveCaseFlagProps } from './remove-case-flag.js';
export { handOverCases, listHandoverCandidates, type HandOverCasesProps } from './hand-over-cases.js';
export { createTask, type CreateTaskProps } from './create-task.js';
export { updateTask, type UpdateTaskProps } from './update-task.js';
export { listCaseTasks, listMyTasks } from './list-tasks.js';
export { countUnread, listNotifications, markNotificationsRead } from './notifications.js';
export { requestAccess, type RequestAccessProps } from './request-access.js';
export { readCaseTimeline } from './read-timeline.js';
export type { PreparedGrant } from './apply-grants.js';
