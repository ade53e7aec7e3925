import type { InvitationSummary } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { listInvitationRows } from '../repository/index.js';

/** Invitations, newest first (the last 500). */
export async function listInvitations(database: Database): Promise<InvitationSummary[]> {
  return (await listInvitationRows(database.db, 500)).map((r) => ({
    id: r.id,
    role: r.role,
    createdBy: r.createdBy,
    createdAt: new Date(r.createdAt).toISOString(),
    expiresAt: new Date(r.expiresAt).toISOString(),
    state: r.usedAt ? 'used' : r.revokedAt ? 'revoked' : r.expired ? 'expired' : 'pending',
    memberId: r.memberId,
  }));
}
