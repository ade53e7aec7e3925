import { ClearingError, type MemberId, type Role } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { markRotationPending } from '../../organization/repository.js';
import { deleteOrganizationKeyGrant, findOrganizationKeyGrant, putOrganizationKeyGrant, updateMember } from '../repository/index.js';
import { revokeMemberSessions } from '../repository/sessions.js';
import { checkCertificate, checkSealedOrganizationKey } from '../validate.js';
import { assertAdministratorsRemain, lockTarget, notSelf, organizationKey } from './guards.js';

export interface ChangeMemberRoleProps {
  actorId: MemberId;
  memberId: MemberId;
  role: Role;
  certificate?: unknown | null;
  sealedOrganizationKey?: unknown | null;
}

/**
 * The certificate binds the role, so a certified member's new role comes with
 * a new certificate from the administrator's browser; a new administrator also
 * receives the organization key, sealed to them.
 */
export async function changeMemberRole(database: Database, props: ChangeMemberRoleProps): Promise<void> {
  const { actorId, memberId, ...input } = props;
  notSelf(actorId, memberId);
  await database.db.transaction().execute(async (tx) => {
    const member = await lockTarget(tx, memberId);
    if (member.role === input.role) return;
    if (member.role === 'administrator') await assertAdministratorsRemain(tx, member);
    const orgKey = await organizationKey(tx);
    if (input.role === 'administrator' && (input.sealedOrganizationKey === undefined || input.sealedOrganizationKey === null)) {
      throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
    }
    let certificate: unknown | null = null;
    // A new administrator must be vouched for by the organization key: a certificate for the new role, made in a certified administrator's browser.
    if (member.certificate !== null || input.role === 'administrator' || (input.certificate !== undefined && input.certificate !== null)) {
      if (input.certificate === undefined || input.certificate === null) {
        throw new ClearingError('CERTIFICATE_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      certificate = checkCertificate(orgKey, input.certificate, {
        memberId: member.id,
        name: member.name,
        role: input.role,
        encryptionPublicKey: member.encryptionPublicKey,
        signingPublicKey: member.signingPublicKey,
      });
    }
    if (input.role === 'administrator') {
      if (input.sealedOrganizationKey === undefined || input.sealedOrganizationKey === null) {
        throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'missing' } });
      }
      await putOrganizationKeyGrant(tx, member.id, checkSealedOrganizationKey(orgKey, member.encryptionPublicKey, input.sealedOrganizationKey), actorId);
      await appendAuditEntry(tx, { action: 'organization.key_granted', actorId, subjectId: member.id });
    } else if (member.role === 'administrator') {
      // They may have kept the private key: the organization key must be rotated.
      if ((await findOrganizationKeyGrant(tx, member.id)) !== null) await markRotationPending(tx);
      await deleteOrganizationKeyGrant(tx, member.id);
    }
    await updateMember(tx, member.id, { role: input.role, certificate });
    // Sessions carry the old role's rights; make the member log in again.
    await revokeMemberSessions(tx, member.id);
    await appendAuditEntry(tx, { action: 'member.role_changed', actorId, subjectId: member.id, detail: { from: member.role, to: input.role } });
  });
}
