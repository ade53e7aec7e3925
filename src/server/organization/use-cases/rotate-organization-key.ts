import {
  ClearingError,
  decodeOrganizationPublicKey,
  organizationFingerprint,
  parseKeyRotation,
  verifyKeyRotation,
  type MemberId,
  type RotateOrganizationKeyRequest,
} from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { deleteOrganizationKeyGrant, listMembers, listOrganizationKeyHolders, putOrganizationKeyGrant, updateMember } from '../../members/repository/index.js';
import { checkCertificate, checkSealedOrganizationKey } from '../../members/validate.js';
import { insertKeyRotation, replaceOrganizationKey } from '../repository.js';
import { publishMembershipListIn } from './publish-membership-list.js';
import { lockOrganization, rejected } from './trust-guards.js';

export type RotateOrganizationKeyProps = RotateOrganizationKeyRequest & { actorId: MemberId };

/**
 * Replaces the organization key in one transaction: the statement signed by
 * the old key, a new certificate for every certified member that is not
 * removed, the new key sealed to exactly the active certified
 * administrators (the rotating one among them), every other grant dropped,
 * and the first membership list under the new key.
 */
export async function rotateOrganizationKey(database: Database, props: RotateOrganizationKeyProps): Promise<{ counter: number }> {
  const { actorId, ...input } = props;
  return database.db.transaction().execute(async (tx) => {
    const org = await lockOrganization(tx);
    let newKey: string;
    try {
      const statement = parseKeyRotation(input.statement);
      verifyKeyRotation(decodeOrganizationPublicKey(org.publicKey), statement);
      newKey = statement.body.newKey;
    } catch (e) {
      return rejected('KEY_ROTATION_REJECTED', e);
    }
    const members = (await listMembers(tx)).filter((m) => m.status !== 'removed' && m.certificate !== null);
    const certificates = new Map<string, unknown>(input.certificates.map((c) => [c.memberId, c.certificate]));
    const sealed = new Map<string, unknown>(input.sealedKeys.map((s) => [s.memberId, s.sealedOrganizationKey]));
    const keepers = members.filter((m) => m.role === 'administrator' && m.status === 'active');
    if (!keepers.some((m) => m.id === actorId)) throw new ClearingError('FORBIDDEN', { status: 403 });
    if (certificates.size !== members.length || sealed.size !== keepers.length) {
      throw new ClearingError('KEY_ROTATION_REJECTED', { status: 409, params: { reason: 'incomplete' } });
    }
    for (const m of members) {
      const certificate = checkCertificate(newKey, certificates.get(m.id), {
        memberId: m.id,
        name: m.name,
        role: m.role,
        encryptionPublicKey: m.encryptionPublicKey,
        signingPublicKey: m.signingPublicKey,
      });
      await updateMember(tx, m.id, { certificate });
    }
    for (const holder of await listOrganizationKeyHolders(tx)) await deleteOrganizationKeyGrant(tx, holder);
    for (const m of keepers) {
      if (!sealed.has(m.id)) throw new ClearingError('KEY_ROTATION_REJECTED', { status: 409, params: { reason: 'incomplete' } });
      await putOrganizationKeyGrant(tx, m.id, checkSealedOrganizationKey(newKey, m.encryptionPublicKey, sealed.get(m.id)), actorId);
    }
    await insertKeyRotation(tx, { previousKey: org.publicKey, newKey, statement: parseKeyRotation(input.statement), rotatedBy: actorId });
    await replaceOrganizationKey(tx, newKey, organizationFingerprint(decodeOrganizationPublicKey(newKey)));
    await appendAuditEntry(tx, { action: 'organization.key_rotated', actorId, detail: { members: members.length, administrators: keepers.length } });
    const counter = await publishMembershipListIn(tx, actorId, input.membershipList, newKey);
    return { counter };
  });
}
