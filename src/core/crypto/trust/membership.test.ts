import { describe, expect, it } from 'vitest';
import { asMemberId, type MemberId } from '../../domain/ids.js';
import type { Role } from '../../domain/roles.js';
import type { MemberKeys } from '../member-keys/keys.js';
import { trustDirectoryEntry, trustListedMember } from '../../membership/directory.js';
import { deriveMasterKey, insecureKdfParamsForTests, insecureKdfPolicyForTests } from '../member-keys/kdf.js';
import { generateMemberKeys, encodePublicKey } from '../member-keys/keys.js';
import { boundOrganizationKey, openKeyBundle, parseKeyBundle, sealKeyBundle } from '../member-keys/bundle.js';
import { rewrapKeyBundle, createMember, unlockMember } from '../member-keys/member.js';
import { toBase64url } from '../primitives/bytes.js';
import { labels } from '../primitives/labels.js';
import { errorCode, withField } from '../primitives/testing.js';
import { signMemberCertificate, parseMemberCertificate, verifyMemberCertificate } from './certificate.js';
import { signInvitationStatement, verifyInvitationStatement } from './invitation.js';
import { signMembershipList, verifyMembershipList } from './membership-list.js';
import { encodeOrganizationPublicKey, generateOrganizationKey } from './organization.js';
import { followKeyRotations, signKeyRotation } from './rotation.js';
import { signJson } from './signatures.js';

const org = generateOrganizationKey();
const admin = asMemberId('admin-1');
type M = { id: MemberId; name: string; role: Role; keys: MemberKeys };
const anna: M = { id: asMemberId('anna-1'), name: 'Anna', role: 'coordinator', keys: generateMemberKeys() };
const boris: M = { id: asMemberId('boris-2'), name: 'Boris', role: 'specialist', keys: generateMemberKeys() };

function certify(m: typeof anna, name = m.name, signer = org) {
  return signMemberCertificate(signer.privateKey, {
    memberId: m.id,
    name,
    role: m.role,
    encryptionPublicKey: m.keys.encryption.publicKey,
    signingPublicKey: m.keys.signing.publicKey,
    issuedBy: admin,
  });
}
function entry(m: typeof anna, name = m.name, certificate: unknown = certify(m)) {
  return {
    id: m.id,
    name,
    role: m.role,
    encryptionPublicKey: encodePublicKey(m.keys.encryption.publicKey),
    signingPublicKey: encodePublicKey(m.keys.signing.publicKey),
    certificate,
  };
}
function list(counter: number, members: Array<typeof anna & { status?: 'active' | 'suspended' | 'removed' }>, signer = org) {
  return signMembershipList(signer.privateKey, {
    counter,
    issuedBy: admin,
    members: members.map((m) => ({
      id: m.id,
      name: m.name,
      role: m.role,
      status: m.status ?? 'active',
      encryptionPublicKey: m.keys.encryption.publicKey,
      signingPublicKey: m.keys.signing.publicKey,
    })),
  });
}

describe('certificates name the member (v2)', () => {
  it('carry the name and its key, signed under the v2 label', () => {
    const c = certify(anna, ' Anna ');
    expect(c.v).toBe(2);
    expect(c.body).toMatchObject({ name: 'Anna', nameKey: 'anna' });
    expect(verifyMemberCertificate(org.publicKey, c, { name: 'Anna' }).name).toBe('Anna');
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, c, { name: 'Boris' }))).toBe('CERTIFICATE_MISMATCH');
  });
  it('detect a changed name or name key', () => {
    const c = certify(anna);
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, withField(c, 'body.name', 'Boris')))).toBe('CERTIFICATE_INVALID');
    expect(errorCode(() => parseMemberCertificate(withField(c, 'body.nameKey', 'boris')))).toBe('CERTIFICATE_INVALID');
  });
  it('read version 1 (no name) for migration, naming nobody', () => {
    const body = { ...certify(anna).body };
    delete body.name;
    delete body.nameKey;
    const v1 = { v: 1, body, signature: toBase64url(signJson(org.privateKey, labels.memberCertificate, body)) };
    expect(verifyMemberCertificate(org.publicKey, v1).name).toBeNull();
    // A v1 signature does not verify as v2, nor the other way round.
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, { ...v1, v: 2 }))).toBe('CERTIFICATE_INVALID');
    expect(errorCode(() => trustDirectoryEntry(org.publicKey, entry(anna, 'Anna', v1)))).toBe('KEY_SUBSTITUTION');
  });
});

describe('directory entries', () => {
  it('trust a name only as certified: swapped names are a substitution', () => {
    expect(trustDirectoryEntry(org.publicKey, entry(anna)).name).toBe('Anna');
    let reason: unknown;
    try {
      trustDirectoryEntry(org.publicKey, entry(anna, 'Boris'));
    } catch (e) {
      reason = (e as { params: { reason: string } }).params.reason;
    }
    expect(reason).toBe('CERTIFICATE_MISMATCH');
  });
});

describe('membership list', () => {
  it('verifies against the pinned key and lists each member with a fingerprint', () => {
    const verified = verifyMembershipList(org.publicKey, JSON.parse(JSON.stringify(list(3, [boris, anna]))), { minCounter: 3 });
    expect(verified.counter).toBe(3);
    expect([...verified.members.keys()]).toEqual(['anna-1', 'boris-2']);
    expect(verified.members.get('anna-1')?.fingerprint).toMatch(/^\d{5}( \d{5}){11}$/);
  });
  it('refuses a rollback, another organization, a forged or edited list', () => {
    expect(errorCode(() => verifyMembershipList(org.publicKey, list(2, [anna]), { minCounter: 3 }))).toBe('MEMBERSHIP_LIST_ROLLBACK');
    expect(errorCode(() => verifyMembershipList(org.publicKey, list(3, [anna], generateOrganizationKey())))).toBe('MEMBERSHIP_LIST_WRONG_ORGANIZATION');
    const l = list(3, [anna, boris]);
    expect(errorCode(() => verifyMembershipList(org.publicKey, withField(l, 'body.counter', 9)))).toBe('MEMBERSHIP_LIST_INVALID');
    expect(errorCode(() => verifyMembershipList(org.publicKey, withField(l, 'body.members.0.role', 'administrator')))).toBe('MEMBERSHIP_LIST_INVALID');
  });
  it('cannot list two names that look alike', () => {
    const fake = { ...boris, name: 'Аnna' }; // Cyrillic А
    expect(errorCode(() => list(1, [anna, fake]))).toBe('MEMBERSHIP_LIST_INVALID');
  });
  it('decides trust: an old certificate of a removed or demoted member fails', () => {
    const current = verifyMembershipList(org.publicKey, list(4, [anna, { ...boris, status: 'removed' }]));
    expect(trustListedMember(org.publicKey, current, entry(anna)).memberId).toBe('anna-1');
    const reasonOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { params: { reason: string } }).params.reason;
      }
      return null;
    };
    expect(reasonOf(() => trustListedMember(org.publicKey, current, entry(boris)))).toBe('NOT_ACTIVE');
    const demoted = verifyMembershipList(org.publicKey, list(5, [{ ...anna, role: 'partner' }]));
    expect(reasonOf(() => trustListedMember(org.publicKey, demoted, entry(anna)))).toBe('LIST_MISMATCH');
    expect(reasonOf(() => trustListedMember(org.publicKey, verifyMembershipList(org.publicKey, list(6, [])), entry(anna)))).toBe('NOT_LISTED');
  });
});

describe('organization key rotation', () => {
  const k1 = generateOrganizationKey();
  const k2 = generateOrganizationKey();
  const chain = [signKeyRotation(org, k1.publicKey, admin), signKeyRotation(k1, k2.publicKey, admin)];
  it('a pin follows the chain of statements to the current key', () => {
    expect(followKeyRotations(org.publicKey, chain, k2.publicKey)).toEqual(k2.publicKey);
    expect(followKeyRotations(k1.publicKey, chain, k2.publicKey)).toEqual(k2.publicKey);
    expect(followKeyRotations(k2.publicKey, chain, k2.publicKey)).toEqual(k2.publicKey);
  });
  it('a key no signed statement leads to is refused', () => {
    const rogue = generateOrganizationKey();
    expect(errorCode(() => followKeyRotations(org.publicKey, chain, rogue.publicKey))).toBe('KEY_ROTATION_BROKEN');
    expect(errorCode(() => followKeyRotations(org.publicKey, [chain[1]], k2.publicKey))).toBe('KEY_ROTATION_BROKEN');
    // A statement "from" our key but signed by another.
    const forged = {
      ...signKeyRotation(rogue, k2.publicKey, admin),
      body: { ...signKeyRotation(rogue, k2.publicKey, admin).body, previousKey: encodeOrganizationPublicKey(org.publicKey) },
    };
    expect(errorCode(() => followKeyRotations(org.publicKey, [forged], k2.publicKey))).toBe('KEY_ROTATION_INVALID');
  });
});

describe('invitation statements', () => {
  it('verify under the organization key and bind id, role and expiry', () => {
    const s = signInvitationStatement(org.privateKey, { invitationId: 'inv-1', role: 'administrator', expiresAt: '2030-01-01T00:00:00.000Z', issuedBy: admin });
    expect(verifyInvitationStatement(org.publicKey, s)).toMatchObject({ invitationId: 'inv-1', role: 'administrator' });
    expect(errorCode(() => verifyInvitationStatement(org.publicKey, withField(s, 'body.role', 'partner')))).toBe('INVITATION_STATEMENT_INVALID');
    expect(errorCode(() => verifyInvitationStatement(generateOrganizationKey().publicKey, s))).toBe('INVITATION_STATEMENT_INVALID');
  });
});

describe('key bundles bound to the organization key (v2)', () => {
  const orgKey = encodeOrganizationPublicKey(org.publicKey);
  it('bind the organization key as associated data', async () => {
    const params = insecureKdfParamsForTests();
    const keys = generateMemberKeys();
    const master = await deriveMasterKey('a passphrase long enough', params, insecureKdfPolicyForTests);
    const bundle = sealKeyBundle(master, keys, params, orgKey);
    expect(bundle.v).toBe(2);
    expect(boundOrganizationKey(bundle)).toBe(orgKey);
    expect(openKeyBundle(master, bundle).signing.publicKey).toEqual(keys.signing.publicKey);
    // The server swaps in its own organization key: the bundle no longer opens.
    const swapped = { ...bundle, organizationKey: encodeOrganizationPublicKey(generateOrganizationKey().publicKey) };
    expect(errorCode(() => openKeyBundle(master, swapped))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
    // Nor does downgrading it to v1.
    const { organizationKey: _dropped, ...v1 } = { ...bundle, v: 1 };
    expect(errorCode(() => openKeyBundle(master, v1))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });
  it('keep the bound key through a passphrase change; v1 bundles still open', async () => {
    const made = await createMember('first passphrase here', insecureKdfParamsForTests(), insecureKdfPolicyForTests, orgKey);
    const changed = await rewrapKeyBundle(
      'first passphrase here',
      'second passphrase here',
      made.bundle,
      insecureKdfParamsForTests(),
      insecureKdfPolicyForTests,
    );
    expect(parseKeyBundle(changed.bundle).organizationKey).toBe(orgKey);
    const old = await createMember('old passphrase here', insecureKdfParamsForTests(), insecureKdfPolicyForTests);
    expect(old.bundle.v).toBe(1);
    expect(boundOrganizationKey(old.bundle)).toBeNull();
    expect((await unlockMember('old passphrase here', old.bundle, insecureKdfPolicyForTests)).keys.signing.publicKey).toEqual(old.keys.signing.publicKey);
  });
});
