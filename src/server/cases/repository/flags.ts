import { asMemberId, isCaseFlag, type CaseFlag, type CaseId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Warnings set on a case (case_flags). */
export interface CaseFlagRow {
  flag: CaseFlag;
  setBy: MemberId;
  setAt: Date;
}

export async function listCaseFlags(db: Executor, caseId: CaseId): Promise<CaseFlagRow[]> {
  const rows = await db.selectFrom('case_flags').select(['flag', 'set_by', 'set_at']).where('case_id', '=', caseId).orderBy('set_at').orderBy('flag').execute();
  return rows.flatMap((r) => (isCaseFlag(r.flag) ? [{ flag: r.flag, setBy: asMemberId(r.set_by), setAt: r.set_at }] : []));
}

/** Sets a flag; false when it was set already. */
export async function insertCaseFlag(db: Executor, caseId: CaseId, flag: CaseFlag, setBy: MemberId): Promise<boolean> {
  const result = await db
    .insertInto('case_flags')
    .values({ case_id: caseId, flag, set_by: setBy })
    .onConflict((oc) => oc.columns(['case_id', 'flag']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Removes a flag; false when it was not set. */
export async function deleteCaseFlag(db: Executor, caseId: CaseId, flag: CaseFlag): Promise<boolean> {
  const result = await db.deleteFrom('case_flags').where('case_id', '=', caseId).where('flag', '=', flag).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
