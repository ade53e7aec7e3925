import { ClearingError, type MemberId } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findMemberById, findOrganizationKeyGrant } from '../repository/index.js';

export interface ReadMyKeysProps {
  memberId: MemberId;
}

export interface MyKeys {
  keyBundle: unknown;
  certificate: unknown | null;
  sealedOrganizationKey: unknown | null;
}

/** My encrypted key bundle, my certificate, and (administrators) the organization key sealed to me. */
export async function readMyKeys(database: Database, props: ReadMyKeysProps): Promise<MyKeys> {
  const { memberId } = props;
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  return {
    keyBundle: member.keyBundle,
    certificate: member.certificate,
    sealedOrganizationKey: member.role === 'administrator' ? await findOrganizationKeyGrant(database.db, memberId) : null,
  };
}
