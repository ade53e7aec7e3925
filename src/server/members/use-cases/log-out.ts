import type { MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { revokeSession } from '../repository/sessions.js';

export interface LogOutProps {
  memberId: MemberId;
  /** The hash of the session to end (the caller's own). */
  sessionHash: string;
}

/** Ends this session. */
export async function logOut(database: Database, props: LogOutProps): Promise<void> {
  const { memberId, sessionHash } = props;
  await database.db.transaction().execute(async (tx) => {
    await revokeSession(tx, sessionHash);
    await appendAuditEntry(tx, { action: 'auth.logout', actorId: memberId, subjectId: memberId });
  });
}
