import { asMemberId, type CaseId, type EscalationKind, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Specialists a case was escalated to (case_specialists). */
export interface CaseSpecialistRow {
  memberId: MemberId;
  kind: EscalationKind;
  addedBy: MemberId;
  addedAt: Date;
}

export async function listCaseSpecialists(db: Executor, caseId: CaseId): Promise<CaseSpecialistRow[]> {
  const rows = await db
    .selectFrom('case_specialists')
    .select(['member_id', 'kind', 'added_by', 'added_at'])
    .where('case_id', '=', caseId)
    .orderBy('added_at')
    .orderBy('member_id')
    .execute();
  return rows.map((r) => ({
    memberId: asMemberId(r.member_id),
    kind: r.kind === 'transfer' ? 'transfer' : 'referral',
    addedBy: asMemberId(r.added_by),
    addedAt: r.added_at,
  }));
}

/** Adds a specialist; false when they already are one. */
export async function insertCaseSpecialist(
  db: Executor,
  row: { caseId: CaseId; memberId: MemberId; kind: EscalationKind; addedBy: MemberId },
): Promise<boolean> {
  const result = await db
    .insertInto('case_specialists')
    .values({ case_id: row.caseId, member_id: row.memberId, kind: row.kind, added_by: row.addedBy })
    .onConflict((oc) => oc.columns(['case_id', 'member_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Removes a member from the case's specialists (they became its owner). */
export async function deleteCaseSpecialist(db: Executor, caseId: CaseId, memberId: MemberId): Promise<void> {
  await db.deleteFrom('case_specialists').where('case_id', '=', caseId).where('member_id', '=', memberId).execute();
}
