import type { DirectoryEntry } from '../api/members.js';
import { decodePublicKey } from '../crypto/member-keys/keys.js';
import { normalizeName, verifyMemberCertificate, type CertifiedMember } from '../crypto/trust/certificate.js';
import type { VerifiedMembershipList } from '../crypto/trust/membership-list.js';
import type { OrganizationPublicKey } from '../crypto/trust/organization.js';
import { ClearingError } from '../errors/index.js';
import type { MemberId } from '../domain/ids.js';

/**
 * Why a directory entry is not trusted, beyond the certificate's own codes
 * (CERTIFICATE_INVALID, CERTIFICATE_WRONG_ORGANIZATION, CERTIFICATE_MISMATCH):
 * - CERTIFICATE_OUTDATED: a version-1 certificate, which names nobody;
 * - NOT_LISTED: the signed membership list does not have this member;
 * - NOT_ACTIVE: the list has them suspended or removed;
 * - LIST_MISMATCH: the list has them with another name, role or keys.
 */
export type DistrustReason =
  | 'CERTIFICATE_INVALID'
  | 'CERTIFICATE_WRONG_ORGANIZATION'
  | 'CERTIFICATE_MISMATCH'
  | 'CERTIFICATE_OUTDATED'
  | 'NOT_LISTED'
  | 'NOT_ACTIVE'
  | 'LIST_MISMATCH';

function distrust(entry: { id: string }, reason: DistrustReason, cause?: unknown): never {
  throw new ClearingError('KEY_SUBSTITUTION', {
    status: 400,
    params: { member: entry.id, reason },
    cause,
  });
}

/**
 * A client trusts a colleague's keys and name only through the organization's
 * signature: the name, keys and role the server lists must be exactly those
 * the pinned organization key certified for that member. Anything else is a
 * substitution attempt (KEY_SUBSTITUTION, with the reason as `params.reason`),
 * and the client refuses to wrap a key for it or to show the name as verified.
 */
export function trustDirectoryEntry(
  pinnedOrganizationKey: OrganizationPublicKey,
  entry: Pick<DirectoryEntry, 'id' | 'name' | 'role' | 'encryptionPublicKey' | 'signingPublicKey' | 'certificate'>,
): CertifiedMember {
  let member: CertifiedMember;
  try {
    member = verifyMemberCertificate(pinnedOrganizationKey, entry.certificate, {
      memberId: entry.id as MemberId,
      role: entry.role,
      encryptionPublicKey: decodePublicKey(entry.encryptionPublicKey, 'x25519'),
      signingPublicKey: decodePublicKey(entry.signingPublicKey, 'ed25519'),
    });
  } catch (cause) {
    const code = cause instanceof ClearingError ? cause.code : 'CERTIFICATE_INVALID';
    return distrust(entry, (['CERTIFICATE_WRONG_ORGANIZATION', 'CERTIFICATE_MISMATCH'].includes(code) ? code : 'CERTIFICATE_INVALID') as DistrustReason, cause);
  }
  if (member.name === null) return distrust(entry, 'CERTIFICATE_OUTDATED');
  if (typeof entry.name !== 'string' || normalizeName(entry.name) !== member.name) return distrust(entry, 'CERTIFICATE_MISMATCH');
  return member;
}

/**
 * As trustDirectoryEntry, and the organization's current membership list
 * (verified by the caller against the pinned key and its highest counter
 * seen) must have the member active with the same name, role and keys. An
 * old certificate the server serves again — of a removed member, or from
 * before a role change — fails here.
 */
export function trustListedMember(
  pinnedOrganizationKey: OrganizationPublicKey,
  list: VerifiedMembershipList,
  entry: Pick<DirectoryEntry, 'id' | 'name' | 'role' | 'encryptionPublicKey' | 'signingPublicKey' | 'certificate'>,
): CertifiedMember {
  const member = trustDirectoryEntry(pinnedOrganizationKey, entry);
  const listed = list.members.get(entry.id);
  if (!listed) return distrust(entry, 'NOT_LISTED');
  if (listed.status !== 'active') return distrust(entry, 'NOT_ACTIVE');
  if (
    listed.name !== member.name ||
    listed.role !== member.role ||
    listed.encryptionPublicKey !== entry.encryptionPublicKey ||
    listed.signingPublicKey !== entry.signingPublicKey
  ) {
    return distrust(entry, 'LIST_MISMATCH');
  }
  return member;
}
