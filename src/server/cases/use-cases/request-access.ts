import { ClearingError, type CaseCompartmentName, type CaseId, type MemberId } from '../../../core/index.js';
import type { AccessRequestResponse } from '../../../core/api/casework.js';
import { accessRequestWindowMinutes } from '../../../core/domain/casework.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { listActiveHolders } from '../repository/holders.js';
import { insertNotifications } from '../repository/notifications.js';
import { hasRecentAccessRequest } from '../repository/timeline.js';
import { openCaseFor } from './workflow-guards.js';

export interface RequestAccessProps {
  actorId: MemberId;
  caseId: CaseId;
  compartment: CaseCompartmentName;
  /** The clock, for tests of the window. */
  now?: Date;
}

/**
 * Asks the current holders of a compartment to grant it to the caller (the
 * key can only come from one of them). One request per member and
 * compartment stands for `accessRequestWindowMinutes`: asking again within
 * it tells nobody twice and answers `requested: false`. The case row is
 * locked, so two requests at once count as one.
 */
export async function requestAccess(database: Database, props: RequestAccessProps): Promise<AccessRequestResponse> {
  const { actorId, caseId, compartment } = props;
  const now = props.now ?? new Date();
  return database.db.transaction().execute(async (tx) => {
    const { record } = await openCaseFor(tx, actorId, caseId, 'case.requestAccess');
    if (record.held.includes(compartment)) throw new ClearingError('CASE_ALREADY_HOLDER', { status: 409 });
    const since = new Date(now.getTime() - accessRequestWindowMinutes * 60_000);
    if (await hasRecentAccessRequest(tx, caseId, actorId, compartment, since)) return { requested: false, notified: 0 };
    const holders = (await listActiveHolders(tx, caseId, compartment)).filter((id) => id !== actorId);
    await appendAuditEntry(tx, { action: 'case.access_requested', actorId, subjectId: caseId, detail: { compartment, notified: holders.length } });
    await insertNotifications(
      tx,
      holders.map((memberId) => ({ memberId, kind: 'access_requested' as const, caseId, actorId, detail: { compartment } })),
    );
    return { requested: true, notified: holders.length };
  });
}
