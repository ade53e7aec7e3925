import { ClearingError, type CaseCompartmentName, type CaseId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { listActiveHolders } from '../repository/holders.js';
import { activeCertifiedMember } from './workflow-guards.js';

/**
 * A task's assignee must be able to read its title: an active, certified
 * member who holds the task's compartment of this case now.
 */
export async function assertAssignable(tx: Executor, caseId: CaseId, compartment: CaseCompartmentName, assigneeId: MemberId): Promise<void> {
  const member = await activeCertifiedMember(tx, assigneeId);
  if (!member || !(await listActiveHolders(tx, caseId, compartment)).includes(assigneeId)) {
    throw new ClearingError('CASE_MEMBER_NOT_ELIGIBLE', { status: 409 });
  }
}
