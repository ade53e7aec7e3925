import { asCaseId, ClearingError, minimumHolders, type CaseCompartmentName, type CaseId, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Executor } from '../../db/executor.js';
import { addPendingRemovals, countRemainingHolders, listCurrentHolders, lockHeldCompartments, removeSpecialist, touchCase } from '../repository/index.js';
import { lockCaseOrFail } from './chain-check.js';

/**
 * Takes a member out of a case: from this moment the server refuses them the
 * compartments they held, and refuses writes to those compartments until a
 * holder's browser rotates them (the server cannot make keys). Refused as a
 * whole (CASE_HOLDERS_TOO_FEW) if any compartment would keep fewer than two
 * holders. Returns the compartments now waiting for a rotation.
 */
export async function revokeMember(
  database: Database,
  props: { actorId: MemberId; caseId: CaseId; memberId: MemberId; compartments?: readonly CaseCompartmentName[] },
): Promise<{ pending: CaseCompartmentName[] }> {
  const caseId = asCaseId(props.caseId);
  return database.db.transaction().execute(async (tx) => {
    const row = await lockCaseOrFail(tx, caseId);
    const held = (await listCurrentHolders(tx, caseId))
      .filter((h) => h.memberId === props.memberId)
      .map((h) => h.compartment as CaseCompartmentName)
      .filter((c) => !props.compartments || props.compartments.includes(c));
    for (const compartment of held) {
      if ((await countRemainingHolders(tx, caseId, compartment, props.memberId)) < minimumHolders) {
        throw new ClearingError('CASE_HOLDERS_TOO_FEW', { status: 409, params: { code: row.code } });
      }
    }
    await addPendingRemovals(
      tx,
      held.map((compartment) => ({ caseId, compartment, memberId: props.memberId, reason: 'revoked', requestedBy: props.actorId })),
    );
    if (!props.compartments) await removeSpecialist(tx, caseId, props.memberId);
    await touchCase(tx, caseId);
    await appendAuditEntry(tx, {
      action: 'case.revoked',
      actorId: props.actorId,
      subjectId: caseId,
      detail: { member: props.memberId, compartments: held.length },
    });
    return { pending: held };
  });
}

/**
 * A member leaves the organization (suspended or removed): every compartment
 * they hold waits for a rotation that drops them, in the caller's
 * transaction. Refused (CASE_HOLDERS_TOO_FEW, naming a case) if that would
 * leave any compartment with fewer than two holders: grant it to someone first.
 */
export async function markDepartureRotations(tx: Executor, props: { actorId: MemberId; memberId: MemberId }): Promise<number> {
  const held = await lockHeldCompartments(tx, props.memberId);
  for (const h of held) {
    if ((await countRemainingHolders(tx, h.caseId, h.compartment, props.memberId)) < minimumHolders) {
      throw new ClearingError('CASE_HOLDERS_TOO_FEW', { status: 409, params: { code: h.code } });
    }
  }
  await addPendingRemovals(
    tx,
    held.map((h) => ({ caseId: h.caseId, compartment: h.compartment, memberId: props.memberId, reason: 'member_left', requestedBy: props.actorId })),
  );
  return held.length;
}
