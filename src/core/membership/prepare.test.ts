import { describe, expect, it } from 'vitest';
import { asMemberId } from '../domain/ids.js';
import { encodePublicKey, generateMemberKeys, type MemberKeys } from '../crypto/member-keys/keys.js';
import { verifyMemberCertificate } from '../crypto/trust/certificate.js';
import { verifyInvitationStatement } from '../crypto/trust/invitation.js';
import { verifyMembershipList } from '../crypto/trust/membership-list.js';
import { generateOrganizationKey, openOrganizationKey } from '../crypto/trust/organization.js';
import { signKeyRotation, verifyKeyRotation } from '../crypto/trust/rotation.js';
import type { Role } from '../domain/roles.js';
import {
  prepareCertification,
  prepareInvitation,
  prepareKeyRotation,
  prepareMembershipList,
  prepareRoleChange,
  roleChangeNeedsOrganizationKey,
  type ListedMember,
} from './prepare.js';

const admin = asMemberId('00000000-0000-4000-8000-000000000001');

function listed(role: Role, keys: MemberKeys = generateMemberKeys(), id = crypto.randomUUID()): ListedMember & { keys: MemberKeys } {
  return {
    id,
    name: `member ${id.slice(0, 4)}`,
    role,
    status: 'active',
    encryptionPublicKey: encodePublicKey(keys.encryption.publicKey),
    signingPublicKey: encodePublicKey(keys.signing.publicKey),
    keys,
  };
}

describe('the requests an administrator’s browser prepares', () => {
  const organization = generateOrganizationKey();

  it('certifies exactly the listed keys, name and role; an administrator also receives the organization key', () => {
    const coordinator = listed('coordinator');
    const body = prepareCertification(organization, coordinator, admin);
    const certified = verifyMemberCertificate(organization.publicKey, body.certificate);
    expect(certified.name).toBe(coordinator.name);
    expect(certified.role).toBe('coordinator');
    expect(body.sealedOrganizationKey).toBeUndefined();

    const administrator = listed('administrator');
    const sealed = prepareCertification(organization, administrator, admin).sealedOrganizationKey;
    expect(openOrganizationKey(sealed, administrator.keys, organization.publicKey).publicKey).toEqual(organization.publicKey);
  });

  it('changes a role without the organization key only when nothing must be signed', () => {
    const m = listed('coordinator');
    expect(roleChangeNeedsOrganizationKey({ role: 'specialist', certified: false })).toBe(false);
    expect(prepareRoleChange(null, { member: m, role: 'specialist', issuedBy: admin, certified: false })).toEqual({ role: 'specialist' });
    expect(() => prepareRoleChange(null, { member: m, role: 'specialist', issuedBy: admin, certified: true })).toThrow();
    const body = prepareRoleChange(organization, { member: m, role: 'administrator', issuedBy: admin, certified: true });
    expect(verifyMemberCertificate(organization.publicKey, body.certificate).role).toBe('administrator');
    expect(openOrganizationKey(body.sealedOrganizationKey, m.keys, organization.publicKey).publicKey).toEqual(organization.publicKey);
  });

  it('signs an administrator invitation over its id, role and expiry; others go unsigned', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(prepareInvitation(organization, { role: 'coordinator', expiresInHours: 24, invitationId: crypto.randomUUID(), issuedBy: admin, now })).toEqual({
      role: 'coordinator',
      expiresInHours: 24,
    });
    const invitationId = crypto.randomUUID();
    const body = prepareInvitation(organization, { role: 'administrator', expiresInHours: 24, invitationId, issuedBy: admin, now });
    const statement = verifyInvitationStatement(organization.publicKey, body.statement);
    expect(statement).toMatchObject({ invitationId, role: 'administrator', expiresAt: '2026-01-02T00:00:00.000Z' });
  });

  it('publishes a list that verifies at its counter', () => {
    const members = [listed('administrator'), listed('coordinator')];
    const { list } = prepareMembershipList(organization, { counter: 3, issuedBy: admin, members });
    const verified = verifyMembershipList(organization.publicKey, list);
    expect(verified.counter).toBe(3);
    expect([...verified.members.keys()].sort()).toEqual(members.map((m) => m.id).sort());
  });

  it('rotates: every certified member certified again under the new key, the new key sealed to active administrators only', async () => {
    const next = generateOrganizationKey();
    const a = listed('administrator');
    const suspendedAdmin = { ...listed('administrator'), status: 'suspended' as const };
    const c = listed('coordinator');
    const steps: string[] = [];
    const statement = signKeyRotation(organization, next.publicKey, admin);
    const body = await prepareKeyRotation(statement, next, { counter: 2, issuedBy: admin, certified: [a, suspendedAdmin, c] }, (step) => {
      steps.push(step.step);
    });
    expect(verifyKeyRotation(organization.publicKey, body.statement)).toEqual(next.publicKey);
    expect(body.certificates.map((x) => verifyMemberCertificate(next.publicKey, x.certificate).role)).toEqual([
      'administrator',
      'administrator',
      'coordinator',
    ]);
    expect(body.sealedKeys.map((s) => s.memberId)).toEqual([a.id]);
    expect(verifyMembershipList(next.publicKey, body.membershipList).counter).toBe(2);
    expect(steps).toEqual(['certifying', 'certifying', 'certifying', 'sealing', 'publishing']);
  });
});
