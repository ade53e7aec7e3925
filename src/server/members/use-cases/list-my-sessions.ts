import type { SessionSummary } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../http/authorize.js';
import { parseClientLabel } from '../account.js';
import { listActiveSessions } from '../repository/index.js';

/** The member's own sessions, this one marked. */
export async function listMySessions(database: Database, props: { actor: Actor }): Promise<SessionSummary[]> {
  const { actor } = props;
  const rows = await listActiveSessions(database.db, actor.memberId);
  return rows.map((r) => ({
    id: r.publicId,
    createdAt: new Date(r.createdAt).toISOString(),
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    current: r.idHash === actor.sessionHash,
    pending: r.stage !== 'full',
    ...parseClientLabel(r.clientLabel),
  }));
}
