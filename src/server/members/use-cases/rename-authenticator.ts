import { ClearingError, type MemberId } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { renameCredential } from '../repository/index.js';
import { checkAuthenticatorName } from '../webauthn.js';

/** Renames one of the member's authenticators (the name is the member's own words: never logged or audited). */
export async function renameAuthenticator(database: Database, props: { memberId: MemberId; authenticatorId: string; name: string }): Promise<void> {
  const { memberId, authenticatorId: id, name: rawName } = props;
  const name = checkAuthenticatorName(rawName);
  if (!(await renameCredential(database.db, memberId, id, name))) throw new ClearingError('AUTHENTICATOR_NOT_FOUND', { status: 404 });
}
