import { describe, expect, it } from 'vitest';
import {
  asMemberId,
  signMemberCertificate,
  encodeOrganizationPublicKey,
  encodePublicKey,
  fingerprint,
  generateMemberKeys,
  generateOrganizationKey,
  organizationFingerprint,
} from '../core/index.js';
import {
  checkMemberCertificate,
  checkOrganizationPin,
  memberFingerprintOf,
  organizationFingerprintOf,
  pinOrganizationKey,
  verifyDirectory,
  type OfferedMember,
  type PinStore,
} from './trust.js';

function memoryStore(initial: string | null = null): PinStore & { value: string | null } {
  const store = {
    value: initial,
    get: () => store.value,
    set: (v: string) => {
      store.value = v;
    },
  };
  return store;
}

const org = generateOrganizationKey();
const orgKey = encodeOrganizationPublicKey(org.publicKey);
const admin = asMemberId('0b9f4a0e-7a51-4d4e-9d89-3f0f8e0a1c01');

function member(id: string, role: OfferedMember['role'] = 'coordinator', signer = org) {
  const keys = generateMemberKeys();
  const certificate = signMemberCertificate(signer.privateKey, {
    memberId: asMemberId(id),
    name: `member ${id}`,
    role,
    encryptionPublicKey: keys.encryption.publicKey,
    signingPublicKey: keys.signing.publicKey,
    issuedBy: admin,
  });
  const offered: OfferedMember = {
    id,
    name: `member ${id}`,
    role,
    encryptionPublicKey: encodePublicKey(keys.encryption.publicKey),
    signingPublicKey: encodePublicKey(keys.signing.publicKey),
    certificate: JSON.parse(JSON.stringify(certificate)),
  };
  return { keys, offered };
}

describe('organization key pin', () => {
  it('pins the first key offered and matches it afterwards', () => {
    const store = memoryStore();
    expect(checkOrganizationPin(store, orgKey).state).toBe('pinned');
    expect(store.value).toBe(orgKey);
    expect(checkOrganizationPin(store, orgKey).state).toBe('match');
  });

  it('reports a different key as a mismatch and keeps the old pin', () => {
    const store = memoryStore(orgKey);
    const other = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
    const check = checkOrganizationPin(store, other);
    expect(check).toMatchObject({ state: 'mismatch', pinned: orgKey, offered: other });
    if (check.state === 'mismatch') expect(check.offeredFingerprint).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(store.value).toBe(orgKey);
  });

  it('treats a missing or malformed key from the server as a mismatch once something is pinned', () => {
    const store = memoryStore(orgKey);
    expect(checkOrganizationPin(store, null).state).toBe('mismatch');
    expect(checkOrganizationPin(store, 'not-a-key').state).toBe('mismatch');
    expect(checkOrganizationPin(memoryStore(), null).state).toBe('unavailable');
  });

  it('does not pin when asked only to compare', () => {
    const store = memoryStore();
    expect(checkOrganizationPin(store, orgKey, { pinIfNew: false }).state).toBe('pinned');
    expect(store.value).toBeNull();
  });

  it('replaces a corrupted pin rather than trusting it', () => {
    const store = memoryStore('garbage');
    expect(checkOrganizationPin(store, orgKey).state).toBe('pinned');
    expect(store.value).toBe(orgKey);
  });

  it('refuses to pin something that is not an organization key', () => {
    const store = memoryStore();
    expect(() => pinOrganizationKey(store, 'AAAA')).toThrow();
    expect(store.value).toBeNull();
    pinOrganizationKey(store, orgKey);
    expect(store.value).toBe(orgKey);
  });

  it('computes the organization fingerprint from the key itself', () => {
    expect(organizationFingerprintOf(orgKey)).toBe(organizationFingerprint(org.publicKey));
    expect(organizationFingerprintOf('nope')).toBeNull();
    expect(organizationFingerprintOf(null)).toBeNull();
  });
});

describe('member certificates and the directory', () => {
  it('accepts a certificate the pinned organization key signed for exactly these keys, id and role', () => {
    const { keys, offered } = member('1f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3');
    const check = checkMemberCertificate(org.publicKey, offered);
    expect(check.state).toBe('valid');
    if (check.state === 'valid') expect(check.member.fingerprint).toBe(fingerprint(keys.encryption.publicKey, keys.signing.publicKey));
    expect(memberFingerprintOf(offered.encryptionPublicKey, offered.signingPublicKey)).toBe(fingerprint(keys.encryption.publicKey, keys.signing.publicKey));
  });

  it('reports no certificate as such', () => {
    const { offered } = member('2f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3');
    expect(checkMemberCertificate(org.publicKey, { ...offered, certificate: null }).state).toBe('none');
  });

  it('refuses a substituted key served beside a genuine certificate (key substitution)', () => {
    const { offered } = member('3f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3');
    const mallory = generateMemberKeys();
    const swapped = { ...offered, encryptionPublicKey: encodePublicKey(mallory.encryption.publicKey) };
    expect(checkMemberCertificate(org.publicKey, swapped)).toEqual({ state: 'invalid', code: 'CERTIFICATE_MISMATCH' });
    const swappedSigning = { ...offered, signingPublicKey: encodePublicKey(mallory.signing.publicKey) };
    expect(checkMemberCertificate(org.publicKey, swappedSigning)).toEqual({ state: 'invalid', code: 'CERTIFICATE_MISMATCH' });
  });

  it('refuses a certificate for another role or another member', () => {
    const { offered } = member('4f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3', 'coordinator');
    expect(checkMemberCertificate(org.publicKey, { ...offered, role: 'administrator' })).toEqual({ state: 'invalid', code: 'CERTIFICATE_MISMATCH' });
    expect(checkMemberCertificate(org.publicKey, { ...offered, id: '5f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3' })).toEqual({
      state: 'invalid',
      code: 'CERTIFICATE_MISMATCH',
    });
  });

  it('refuses keys certified by a key the server swapped in for the organization', () => {
    const rogue = generateOrganizationKey();
    const { offered } = member('6f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3', 'verifier', rogue);
    expect(checkMemberCertificate(org.publicKey, offered)).toEqual({ state: 'invalid', code: 'CERTIFICATE_WRONG_ORGANIZATION' });
  });

  it('reports malformed keys as invalid instead of throwing', () => {
    const { offered } = member('7f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3');
    expect(checkMemberCertificate(org.publicKey, { ...offered, encryptionPublicKey: 'short' }).state).toBe('invalid');
    expect(memberFingerprintOf('short', offered.signingPublicKey)).toBeNull();
  });

  it('splits the directory into trusted colleagues and flagged entries', () => {
    const good = member('8f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3').offered;
    const mallory = generateMemberKeys();
    const substituted = { ...member('9f0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3').offered, encryptionPublicKey: encodePublicKey(mallory.encryption.publicKey) };
    const uncertified = { ...member('af0e0c6a-5d4c-4b3a-8a29-18a7b6c5d4e3').offered, certificate: null };
    const result = verifyDirectory(org.publicKey, [good, substituted, uncertified]);
    expect(result.trusted.map((t) => t.entry.id)).toEqual([good.id]);
    expect(result.rejected.map((r) => [r.entry.id, r.code])).toEqual([
      [substituted.id, 'CERTIFICATE_MISMATCH'],
      [uncertified.id, 'CERTIFICATE_INVALID'],
    ]);
  });
});
