import type { CaseFlag, CaseId, MemberId } from '../../../core/index.js';
import type { CaseFlagsResponse } from '../../../core/api/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { touchCase } from '../repository/cases.js';
import { insertCaseFlag, listCaseFlags } from '../repository/flags.js';
import { insertNotifications } from '../repository/notifications.js';
import { listCaseSpecialists } from '../repository/specialists.js';
import { assertOpen, openCaseFor } from './workflow-guards.js';
import { flagView } from './workflow-views.js';

export interface SetCaseFlagProps {
  actorId: MemberId;
  caseId: CaseId;
  flag: CaseFlag;
}

/** Sets a warning on an open case and tells its owner and specialists; a flag already set changes nothing. */
export async function setCaseFlag(database: Database, props: SetCaseFlagProps): Promise<CaseFlagsResponse> {
  const { actorId, caseId, flag } = props;
  return database.db.transaction().execute(async (tx) => {
    const { row } = await openCaseFor(tx, actorId, caseId, 'case.flag');
    assertOpen(row);
    if (await insertCaseFlag(tx, caseId, flag, actorId)) {
      await touchCase(tx, caseId);
      await appendAuditEntry(tx, { action: 'case.flag_set', actorId, subjectId: caseId, detail: { flag } });
      const told = new Set<MemberId>([...(row.ownerId ? [row.ownerId] : []), ...(await listCaseSpecialists(tx, caseId)).map((s) => s.memberId)]);
      told.delete(actorId);
      await insertNotifications(
        tx,
        [...told].map((memberId) => ({ memberId, kind: 'flag_set' as const, caseId, actorId, detail: { flag } })),
      );
    }
    return { flags: (await listCaseFlags(tx, caseId)).map(flagView) };
  });
}
