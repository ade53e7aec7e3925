import { ClearingError } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { revokeSessionByPublicId } from '../repository/index.js';

/** Ends one of the member's own sessions (this one too); says whether it was this one. */
export async function endMySession(database: Database, props: { actor: Actor; sessionId: string }): Promise<{ current: boolean }> {
  const { actor, sessionId: id } = props;
  return database.db.transaction().execute(async (tx) => {
    const ended = await revokeSessionByPublicId(tx, actor.memberId, id);
    if (!ended) throw new ClearingError('SESSION_NOT_FOUND', { status: 404 });
    const current = ended === actor.sessionHash;
    await appendAuditEntry(tx, { action: 'auth.session_ended', actorId: actor.memberId, subjectId: actor.memberId, detail: { current } });
    return { current };
  });
}
