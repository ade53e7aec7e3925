import { asCaseId, ClearingError, type CaseId, type MemberId } from '../../../core/index.js';
import type { HandoverResponse } from '../../../core/api/casework.js';
import { handoverBatchSize } from '../../../core/domain/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Executor } from '../../db/executor.js';
import { findMemberById } from '../../members/repository/index.js';
import { listOwnedOpenCases, lockCasesWorkflow, updateCaseWorkflow } from '../repository/case-workflow.js';
import { insertNotifications } from '../repository/notifications.js';
import { deleteCaseSpecialist } from '../repository/specialists.js';
import { applyGrants, type PreparedGrant } from './apply-grants.js';
import { activeCertifiedMember, eligibleCasekeeper } from './workflow-guards.js';

export interface HandOverCasesProps {
  actorId: MemberId;
  fromId: MemberId;
  toId: MemberId;
  caseIds: readonly CaseId[];
  /** The new owner's keys, each naming its case; those of cases that did not move are ignored. */
  grants: readonly (PreparedGrant & { caseId: CaseId })[];
}

/** Who may hand over `fromId`'s cases: an administrator, or `fromId` themself (a coordinator leaving or going on leave). */
async function assertMayHandOver(tx: Executor, actorId: MemberId, fromId: MemberId): Promise<void> {
  const actor = await activeCertifiedMember(tx, actorId);
  if (!actor || (actor.role !== 'administrator' && actorId !== fromId)) throw new ClearingError('HANDOVER_NOT_ALLOWED', { status: 403 });
}

/**
 * One batch of a handover: the open cases of `fromId` among `caseIds` get
 * `toId` as their owner, in one transaction, one audit entry per case and
 * one notification to `toId` for the batch. `fromId` may be suspended or
 * removed (that is when handovers happen). A case `toId` already owns is
 * `already` (a retried batch is harmless); a case `fromId` does not own, a
 * closed one or an unknown id is `skipped`. Closed cases keep their owner:
 * only reopening changes a closed case.
 */
export async function handOverCases(database: Database, props: HandOverCasesProps): Promise<HandoverResponse> {
  const { actorId, fromId, toId } = props;
  const caseIds = [...new Set(props.caseIds)];
  if (caseIds.length === 0 || caseIds.length > handoverBatchSize) throw new ClearingError('VALIDATION_FAILED', { status: 400 });
  if (fromId === toId) throw new ClearingError('CASE_OWNER_INVALID', { status: 409 });
  return database.db.transaction().execute(async (tx) => {
    await assertMayHandOver(tx, actorId, fromId);
    if (!(await findMemberById(tx, fromId))) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
    await eligibleCasekeeper(tx, toId, 'CASE_OWNER_INVALID');
    const rows = await lockCasesWorkflow(tx, caseIds);
    const out: HandoverResponse = { moved: [], already: [], skipped: [] };
    const found = new Set(rows.map((r) => r.id as string));
    for (const id of caseIds) if (!found.has(id)) out.skipped.push(id);
    for (const row of rows) {
      if (row.ownerId === toId) out.already.push(row.id);
      else if (row.ownerId !== fromId || row.status === 'closed') out.skipped.push(row.id);
      else {
        await updateCaseWorkflow(tx, row.id, { ownerId: toId });
        await deleteCaseSpecialist(tx, row.id, toId);
        const applied = await applyGrants(tx, {
          actorId,
          caseId: row.id,
          recipient: toId,
          grants: props.grants.filter((g) => g.caseId === row.id),
        });
        await appendAuditEntry(tx, { action: 'case.handed_over', actorId, subjectId: row.id, detail: { from: fromId, to: toId, grants: applied } });
        out.moved.push(row.id);
      }
    }
    if (out.moved.length > 0 && toId !== actorId) {
      await insertNotifications(tx, [{ memberId: toId, kind: 'assigned', caseId: null, actorId, detail: { cases: out.moved.length, from: fromId } }]);
    }
    return out;
  });
}

/** The open cases `fromId` owns (ids, codes, statuses), for the browser to batch a handover; same permission as the handover. */
export async function listHandoverCandidates(
  database: Database,
  props: { actorId: MemberId; fromId: MemberId },
): Promise<{ cases: { caseId: CaseId; code: string; status: string }[] }> {
  return database.db.transaction().execute(async (tx) => {
    await assertMayHandOver(tx, props.actorId, props.fromId);
    const cases = await listOwnedOpenCases(tx, props.fromId);
    return { cases: cases.map((c) => ({ ...c, caseId: asCaseId(c.caseId) })) };
  });
}
