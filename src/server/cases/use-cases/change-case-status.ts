import { ClearingError, mayMoveCase, type CaseId, type CaseStatus, type MemberId } from '../../../core/index.js';
import type { CaseWorkflowState } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { workflowState } from './workflow-views.js';

export interface ChangeCaseStatusProps {
  actorId: MemberId;
  caseId: CaseId;
  to: CaseStatus;
}

/**
 * Moves an open case along the workflow (caseMoves). Closing needs an
 * outcome (closeCase), and a closed case comes back only by reopenCase, so
 * neither is a plain move.
 */
export async function changeCaseStatus(database: Database, props: ChangeCaseStatusProps): Promise<CaseWorkflowState> {
  const { actorId, caseId, to } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.update');
    assertOpen(row);
    if (to === 'closed') throw new ClearingError('CASE_OUTCOME_REQUIRED', { status: 400 });
    if (!mayMoveCase(row.status, to)) throw new ClearingError('CASE_MOVE_NOT_ALLOWED', { status: 409, params: { from: row.status, to } });
    const updated = await updateCaseWorkflow(tx, caseId, { status: to });
    await appendAuditEntry(tx, { action: 'case.status_changed', actorId, subjectId: caseId, detail: { from: row.status, to } });
    return workflowState(updated);
  });
}
