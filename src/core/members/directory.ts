import type { DirectoryEntry } from '../api/members.js';
import { decodePublicKey } from '../crypto/members/keys.js';
import { verifyMemberCertificate, type CertifiedMember } from '../crypto/trust/certificate.js';
import type { OrganizationPublicKey } from '../crypto/trust/organization.js';
import { ClearingError } from '../errors/index.js';
import type { MemberId } from '../domain/ids.js';

/**
 * A client trusts a colleague's keys only through the organization's signature:
 * the keys the server lists must be exactly the keys the pinned organization
 * key certified for that member and role. Anything else is a substitution
 * attempt, and the client refuses to wrap a key for it.
 */
export function trustDirectoryEntry(
  pinnedOrganizationKey: OrganizationPublicKey,
  entry: Pick<DirectoryEntry, 'id' | 'role' | 'encryptionPublicKey' | 'signingPublicKey' | 'certificate'>,
): CertifiedMember {
  try {
    return verifyMemberCertificate(pinnedOrganizationKey, entry.certificate, {
      memberId: entry.id as MemberId,
      role: entry.role,
      encryptionPublicKey: decodePublicKey(entry.encryptionPublicKey, 'x25519'),
      signingPublicKey: decodePublicKey(entry.signingPublicKey, 'ed25519'),
    });
  } catch (cause) {
    throw new ClearingError('KEY_SUBSTITUTION', 'The server offered keys for this member that the organization did not certify.', {
      status: 400,
      params: { member: entry.id, reason: cause instanceof ClearingError ? cause.code : 'CERTIFICATE_INVALID' },
      cause,
    });
  }
}
