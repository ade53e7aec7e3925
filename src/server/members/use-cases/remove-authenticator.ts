import { ClearingError, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { countAuthenticators, deleteCredential, hasCredential, lockMember } from '../repository/index.js';

/** Removes one of the member's authenticators, unless it is the last second factor left. */
export async function removeAuthenticator(database: Database, props: { memberId: MemberId; authenticatorId: string }): Promise<void> {
  const { memberId, authenticatorId: id } = props;
  await database.db.transaction().execute(async (tx) => {
    // The member row is the lock every change to the set of second factors takes.
    const member = await lockMember(tx, memberId);
    if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
    const count = await countAuthenticators(tx, memberId);
    if (!(await hasCredential(tx, memberId, id))) throw new ClearingError('AUTHENTICATOR_NOT_FOUND', { status: 404 });
    if (!member.totpEnabledAt && count <= 1) throw new ClearingError('LAST_SECOND_FACTOR', { status: 409 });
    if (!(await deleteCredential(tx, memberId, id))) throw new ClearingError('AUTHENTICATOR_NOT_FOUND', { status: 404 });
    await appendAuditEntry(tx, { action: 'auth.authenticator_removed', actorId: memberId, subjectId: memberId, detail: { authenticators: count - 1 } });
  });
}
