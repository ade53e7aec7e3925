import type { CaseId, CasePriority, MemberId } from '../../../core/index.js';
import type { CaseWorkflowState } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { workflowState } from './workflow-views.js';

export interface ChangeCasePriorityProps {
  actorId: MemberId;
  caseId: CaseId;
  priority: CasePriority;
}

/** Sets an open case's priority; the same priority again changes nothing and records nothing. */
export async function changeCasePriority(database: Database, props: ChangeCasePriorityProps): Promise<CaseWorkflowState> {
  const { actorId, caseId, priority } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.update');
    assertOpen(row);
    if (row.priority === priority) return workflowState(row);
    const updated = await updateCaseWorkflow(tx, caseId, { priority });
    await appendAuditEntry(tx, { action: 'case.priority_changed', actorId, subjectId: caseId, detail: { from: row.priority, to: priority } });
    return workflowState(updated);
  });
}
