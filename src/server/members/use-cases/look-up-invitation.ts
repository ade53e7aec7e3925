import { ClearingError, type InvitationLookupResponse } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findOrganization, organizationInfo } from '../../organization/repository.js';
import { findInvitationByToken } from '../repository/index.js';

/** The invitation a link names, if it can still be used. */
export async function usableInvitation(database: Database, token: string) {
  const row = await findInvitationByToken(database.db, token);
  if (!row || row.revokedAt) throw new ClearingError('INVITATION_INVALID', { status: 404 });
  if (row.usedAt) throw new ClearingError('INVITATION_USED', { status: 410 });
  if (row.expired) throw new ClearingError('INVITATION_EXPIRED', { status: 410 });
  return row;
}

export interface LookUpInvitationProps {
  token: string;
}

/** What an invitation link is for: role, expiry and the organization (with its public key to compare). */
export async function lookUpInvitation(database: Database, props: LookUpInvitationProps): Promise<InvitationLookupResponse> {
  const row = await usableInvitation(database, props.token);
  const org = await findOrganization(database.db);
  if (!org) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return { role: row.role, expiresAt: new Date(row.expiresAt).toISOString(), organization: organizationInfo(org) };
}
