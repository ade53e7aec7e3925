import { ClearingError, type CaseId, type EscalationKind, type MemberId } from '../../../core/index.js';
import type { EscalateCaseResponse } from '../../../core/api/casework.js';
import type { EscalationReason } from '../../../core/domain/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { updateCaseWorkflow } from '../repository/case-workflow.js';
import { touchCase } from '../repository/cases.js';
import { insertNotifications } from '../repository/notifications.js';
import { deleteCaseSpecialist, insertCaseSpecialist, listCaseSpecialists } from '../repository/specialists.js';
import { applyGrants, type PreparedGrant } from './apply-grants.js';
import { assertOpen, eligibleCasekeeper, openCaseFor } from './workflow-guards.js';
import { specialistView } from './workflow-views.js';

export interface EscalateCaseProps {
  actorId: MemberId;
  caseId: CaseId;
  specialistId: MemberId;
  kind: EscalationKind;
  reasonCode: EscalationReason;
  /** The specialist's keys (escalationCompartments), sealed in the browser; applied with the escalation or not at all. */
  grants: readonly PreparedGrant[];
}

/**
 * Escalates an open case to a specialist (an active, certified casekeeper).
 *
 * - `referral`: the specialist joins beside the owner (case_specialists).
 * - `transfer` (Primero's): the specialist becomes the owner. The previous
 *   owner is not made a specialist: they stay involved only through the
 *   grants they still hold, which the new owner may revoke. A transfer is
 *   recorded in the timeline, not in case_specialists, where the new owner
 *   would be listed twice.
 */
export async function escalateCase(database: Database, props: EscalateCaseProps): Promise<EscalateCaseResponse> {
  const { actorId, caseId, specialistId, kind, reasonCode, grants } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.escalate');
    assertOpen(row);
    await eligibleCasekeeper(tx, specialistId, 'CASE_SPECIALIST_INVALID');
    if (row.ownerId === specialistId) throw new ClearingError('CASE_SPECIALIST_INVALID', { status: 409 });
    let ownerId = row.ownerId;
    if (kind === 'referral') {
      if (!(await insertCaseSpecialist(tx, { caseId, memberId: specialistId, kind, addedBy: actorId }))) {
        throw new ClearingError('CASE_SPECIALIST_INVALID', { status: 409 });
      }
      await touchCase(tx, caseId);
    } else {
      await deleteCaseSpecialist(tx, caseId, specialistId);
      ownerId = (await updateCaseWorkflow(tx, caseId, { ownerId: specialistId })).ownerId;
    }
    const applied = await applyGrants(tx, { actorId, caseId, recipient: specialistId, grants });
    await appendAuditEntry(tx, {
      action: 'case.escalated',
      actorId,
      subjectId: caseId,
      detail: { specialistId, kind, reasonCode, previousOwnerId: row.ownerId, grants: applied },
    });
    if (specialistId !== actorId) await insertNotifications(tx, [{ memberId: specialistId, kind: 'escalated', caseId, actorId, detail: { kind } }]);
    return { ownerId, specialists: (await listCaseSpecialists(tx, caseId)).map(specialistView) };
  });
}
