import { ClearingError, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { findOrganizationKeyGrant, putOrganizationKeyGrant, updateMember } from '../repository/index.js';
import { checkCertificate, checkSealedOrganizationKey } from '../validate.js';
import { lockTarget, organizationKey } from './guards.js';

export interface CertifyMemberProps {
  actorId: MemberId;
  memberId: MemberId;
  certificate: unknown;
  sealedOrganizationKey?: unknown | null;
}

/**
 * Stores the organization's certificate of a member's keys, signed in the
 * administrator's browser. An administrator who joined by invitation also
 * receives the organization key (`sealedOrganizationKey`, sealed in the
 * certifying administrator's browser); until then they have no administrator's powers.
 */
export async function certifyMember(database: Database, props: CertifyMemberProps): Promise<void> {
  const { actorId, memberId, certificate, sealedOrganizationKey } = props;
  await database.db.transaction().execute(async (tx) => {
    const member = await lockTarget(tx, memberId);
    const orgKey = await organizationKey(tx);
    const checked = checkCertificate(orgKey, certificate, {
      memberId: member.id,
      name: member.name,
      role: member.role,
      encryptionPublicKey: member.encryptionPublicKey,
      signingPublicKey: member.signingPublicKey,
    });
    if (member.role === 'administrator' && member.status === 'active' && (await findOrganizationKeyGrant(tx, member.id)) === null) {
      if (sealedOrganizationKey === undefined || sealedOrganizationKey === null) {
        throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      await putOrganizationKeyGrant(tx, member.id, checkSealedOrganizationKey(orgKey, member.encryptionPublicKey, sealedOrganizationKey), actorId);
      await appendAuditEntry(tx, { action: 'organization.key_granted', actorId, subjectId: member.id });
    }
    await updateMember(tx, member.id, { certificate: checked });
    await appendAuditEntry(tx, { action: 'member.certified', actorId, subjectId: member.id, detail: { role: member.role } });
  });
}
