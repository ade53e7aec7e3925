import { ClearingError, type CaseId, type MemberId } from '../../../core/index.js';
import type { CaseWorkflowState } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { insertNotifications } from '../repository/notifications.js';
import { deleteCaseSpecialist } from '../repository/specialists.js';
import { applyGrants, type PreparedGrant } from './apply-grants.js';
import { assertOpen, eligibleCasekeeper, openCaseFor } from './workflow-guards.js';
import { workflowState } from './workflow-views.js';

export interface AssignCaseProps {
  actorId: MemberId;
  caseId: CaseId;
  /** The new owner, or null for none. */
  memberId: MemberId | null;
  /** The new owner's compartment keys, sealed in the browser; applied in the same transaction. */
  grants?: readonly PreparedGrant[];
}

/**
 * Gives an open case a new owner (an active, certified coordinator,
 * specialist or administrator) or none, and tells the new owner. The
 * previous owner keeps the grants they hold until someone revokes them.
 */
export async function assignCase(database: Database, props: AssignCaseProps): Promise<CaseWorkflowState> {
  const { actorId, caseId, memberId } = props;
  const grants = props.grants ?? [];
  // Keys for nobody: a request to unassign carries none.
  if (memberId === null && grants.length > 0) throw new ClearingError('VALIDATION_FAILED', { status: 400 });
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.assign');
    assertOpen(row);
    if (memberId !== null) await eligibleCasekeeper(tx, memberId, 'CASE_OWNER_INVALID');
    if (row.ownerId === memberId && grants.length === 0) return workflowState(row);
    const applied = memberId === null ? 0 : await applyGrants(tx, { actorId, caseId, recipient: memberId, grants });
    if (row.ownerId === memberId) return workflowState(row);
    const updated = await updateCaseWorkflow(tx, caseId, { ownerId: memberId });
    // The owner is not also a specialist of their own case.
    if (memberId !== null) await deleteCaseSpecialist(tx, caseId, memberId);
    await appendAuditEntry(tx, {
      action: 'case.assigned',
      actorId,
      subjectId: caseId,
      detail: { from: row.ownerId, to: memberId, grants: applied },
    });
    if (memberId !== null && memberId !== actorId) {
      await insertNotifications(tx, [{ memberId, kind: 'assigned', caseId, actorId }]);
    }
    return workflowState(updated);
  });
}
