import { ClearingError, type AccountSummary, type MemberId } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findMemberById, listAuthenticators } from '../repository/index.js';

/** The member's own account page: second factors and how many recovery codes are left. */
export async function readMyAccount(database: Database, props: { memberId: MemberId }): Promise<AccountSummary> {
  const { memberId } = props;
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  return {
    totpEnabled: member.totpEnabledAt !== null,
    recoveryCodesLeft: member.recoveryCodes.length,
    authenticators: await listAuthenticators(database.db, memberId),
  };
}
