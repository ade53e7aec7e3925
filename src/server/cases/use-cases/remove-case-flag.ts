import { ClearingError, type CaseFlag, type CaseId, type MemberId } from '../../../core/index.js';
import type { CaseFlagsResponse } from '../../../core/api/casework.js';
import { isFlagRemovalReason, type FlagRemovalReason } from '../../../core/domain/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { touchCase } from '../repository/cases.js';
import { deleteCaseFlag, listCaseFlags } from '../repository/flags.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { flagView } from './workflow-views.js';

export interface RemoveCaseFlagProps {
  actorId: MemberId;
  caseId: CaseId;
  flag: CaseFlag;
  /** Required; optional in the type so a request without one is answered FLAG_REASON_REQUIRED. */
  reasonCode?: FlagRemovalReason;
}

/** Takes a warning off an open case, with a reason code that the timeline keeps. */
export async function removeCaseFlag(database: Database, props: RemoveCaseFlagProps): Promise<CaseFlagsResponse> {
  const { actorId, caseId, flag, reasonCode } = props;
  if (!isFlagRemovalReason(reasonCode)) throw new ClearingError('FLAG_REASON_REQUIRED', { status: 400 });
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.flag');
    assertOpen(row);
    if (!(await deleteCaseFlag(tx, caseId, flag))) throw new ClearingError('FLAG_NOT_SET', { status: 409, params: { flag } });
    await touchCase(tx, caseId);
    await appendAuditEntry(tx, { action: 'case.flag_removed', actorId, subjectId: caseId, detail: { flag, reasonCode } });
    return { flags: (await listCaseFlags(tx, caseId)).map(flagView) };
  });
}
