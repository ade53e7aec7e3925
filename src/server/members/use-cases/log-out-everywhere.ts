import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { revokeMemberSessions } from '../repository/sessions.js';

export interface LogOutEverywhereProps {
  memberId: MemberId;
}

/** Ends every session of the member, on every device; returns how many ended. */
export async function logOutEverywhere(database: Database, props: LogOutEverywhereProps): Promise<number> {
  const { memberId } = props;
  return database.db.transaction().execute(async (tx) => {
    const n = await revokeMemberSessions(tx, memberId);
    await appendAuditEntry(tx, { action: 'auth.logout_everywhere', actorId: memberId, subjectId: memberId, detail: { sessions: n } });
    return n;
  });
}
