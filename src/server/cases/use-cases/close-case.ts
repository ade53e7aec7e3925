import { ClearingError, isCaseOutcome, mayMoveCase, type CaseId, type CaseOutcome, type MemberId } from '../../../core/index.js';
import type { CaseWorkflowState } from '../../../core/api/casework.js';
import { isClosureReason, type ClosureReason } from '../../../core/domain/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { workflowState } from './workflow-views.js';

export interface CloseCaseProps {
  actorId: MemberId;
  caseId: CaseId;
  /** Required; optional in the type so a request without one is answered CASE_OUTCOME_REQUIRED. */
  outcome?: CaseOutcome;
  reason: ClosureReason;
}

/** Closes an open case with its outcome and a reason code; its tasks stay as they are. */
export async function closeCase(database: Database, props: CloseCaseProps): Promise<CaseWorkflowState> {
  const { actorId, caseId, outcome, reason } = props;
  if (!isCaseOutcome(outcome)) throw new ClearingError('CASE_OUTCOME_REQUIRED', { status: 400 });
  if (!isClosureReason(reason)) throw new ClearingError('VALIDATION_FAILED', { status: 400 });
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.update');
    assertOpen(row);
    if (!mayMoveCase(row.status, 'closed')) throw new ClearingError('CASE_MOVE_NOT_ALLOWED', { status: 409, params: { from: row.status, to: 'closed' } });
    const updated = await updateCaseWorkflow(tx, caseId, { status: 'closed', outcome, closed: true });
    await appendAuditEntry(tx, { action: 'case.closed', actorId, subjectId: caseId, detail: { from: row.status, outcome, reason } });
    return workflowState(updated);
  });
}
