import { ClearingError, isUuid, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { findOrganization } from '../../organization/repository.js';
import { countActiveAdministrators, isKeyHoldingAdministrator, lockMember, type MemberRow } from '../repository/index.js';

/** Invariant checks the member use cases share; each runs inside the use case's transaction. */

/** Locks the member a use case acts on; a removed member is as absent as one that never was. */
export async function lockTarget(db: Executor, id: MemberId): Promise<MemberRow> {
  const member = isUuid(id) ? await lockMember(db, id) : null;
  if (!member || member.status === 'removed') throw new ClearingError('MEMBER_NOT_FOUND', { status: 404 });
  return member;
}

/** The organization's public key: certificates and sealed keys are checked against it. */
export async function organizationKey(db: Executor): Promise<string> {
  const org = await findOrganization(db);
  if (!org?.publicKey) throw new ClearingError('NOT_SET_UP', { status: 409 });
  return org.publicKey;
}

/** Refuses to take away the last administrator who can still act as the organization. */
export async function assertAdministratorsRemain(tx: Executor, member: MemberRow): Promise<void> {
  if ((await isKeyHoldingAdministrator(tx, member)) && (await countActiveAdministrators(tx)) <= 1) {
    throw new ClearingError('LAST_ADMINISTRATOR', { status: 409 });
  }
}

/**
 * The second wall behind the member policy (src/core/policies/member.ts),
 * which already refuses these over HTTP: an administrator does not suspend,
 * remove or change the role of themselves.
 */
export function notSelf(actorId: MemberId, memberId: MemberId): void {
  if (actorId === memberId) throw new ClearingError('CANNOT_CHANGE_SELF', { status: 409 });
}
