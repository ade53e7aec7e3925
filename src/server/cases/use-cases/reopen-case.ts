import { ClearingError, reopenedStatus, type CaseId, type MemberId } from '../../../core/index.js';
import type { CaseWorkflowState } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { openCaseFor } from './workflow-guards.js';
import { workflowState } from './workflow-views.js';

export interface ReopenCaseProps {
  actorId: MemberId;
  caseId: CaseId;
}

/** Brings a closed case back to `reopenedStatus`; its outcome and closing time are cleared (the timeline keeps them). */
export async function reopenCase(database: Database, props: ReopenCaseProps): Promise<CaseWorkflowState> {
  const { actorId, caseId } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.update');
    if (row.status !== 'closed') throw new ClearingError('CASE_MOVE_NOT_ALLOWED', { status: 409, params: { from: row.status, to: reopenedStatus } });
    const updated = await updateCaseWorkflow(tx, caseId, { status: reopenedStatus, outcome: null, closed: false });
    await appendAuditEntry(tx, { action: 'case.reopened', actorId, subjectId: caseId, detail: { previousOutcome: row.outcome, to: reopenedStatus } });
    return workflowState(updated);
  });
}
