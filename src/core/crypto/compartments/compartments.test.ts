import { x25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIdentity, decodeRecipient } from '../age/keys.js';
import { asCaseId, asMemberId, type CaseId } from '../../domain/ids.js';
import { generateMemberKeys, type MemberKeys } from '../member-keys/keys.js';
import { toBase64url } from '../primitives/bytes.js';
import { bitLength, errorCode, hasNewerVersionTag, flipField, flipJsonBit, jsonBitLength, withField } from '../primitives/testing.js';
import { signMemberCertificate, verifyMemberCertificate, type CertifiedMember } from '../trust/certificate.js';
import { generateOrganizationKey } from '../trust/organization.js';
import { memberSigner } from '../trust/signatures.js';
import { compartmentAgeIdentity, compartmentAgeRecipient } from './age.js';
import { deriveRecordKey, deriveSearchKey, generateCompartmentKey } from './key.js';
import {
  addCompartmentKey,
  compartmentKeyForEpoch,
  compartmentKeyring,
  currentCompartmentKey,
  currentEpoch,
  newCompartmentKeyring,
  rotateCompartment,
} from './keyring.js';
import { openCompartmentKey, parseSealedCompartmentKey, sealCompartmentKey } from './sealed.js';

const org = generateOrganizationKey();
function member(id: string, role: 'coordinator' | 'specialist' = 'specialist'): { keys: MemberKeys; certified: CertifiedMember } {
  const keys = generateMemberKeys();
  const memberId = asMemberId(id);
  const certificate = signMemberCertificate(org.privateKey, {
    memberId,
    name: `member ${id}`,
    role,
    encryptionPublicKey: keys.encryption.publicKey,
    signingPublicKey: keys.signing.publicKey,
    issuedBy: asMemberId('admin'),
  });
  return { keys, certified: verifyMemberCertificate(org.publicKey, certificate) };
}

const coordinator = member('coord', 'coordinator');
const specialist = member('spec');
const grantor = memberSigner(coordinator.certified.memberId, coordinator.keys);
const caseId = asCaseId('K7F-3QX');
const testimony = generateCompartmentKey({ caseId, compartment: 'testimony', epoch: 0 });
const sealed = sealCompartmentKey(testimony, specialist.certified, grantor);
// A bit flip can turn `"v":1` into a newer version tag, which reads as FORMAT_VERSION_UNSUPPORTED.
const sealedCodes = [
  'SEALED_KEY_MALFORMED',
  'SEALED_KEY_WRONG_CONTEXT',
  'SEALED_KEY_WRONG_RECIPIENT',
  'SEALED_KEY_TAMPERED',
  'SEALED_KEY_BAD_SIGNATURE',
  'FORMAT_VERSION_UNSUPPORTED',
];

describe('compartment keys', () => {
  it('case compartments need a case; intake and safety must not have one', () => {
    expect(generateCompartmentKey({ caseId: null, compartment: 'intake', epoch: 0 }).reference.caseId).toBeNull();
    expect(errorCode(() => generateCompartmentKey({ caseId: null, compartment: 'identity', epoch: 0 }))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => generateCompartmentKey({ caseId, compartment: 'safety', epoch: 0 }))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => generateCompartmentKey({ caseId, compartment: 'nope' as never, epoch: 0 }))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => generateCompartmentKey({ caseId, compartment: 'legal', epoch: -1 }))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => generateCompartmentKey({ caseId: '' as CaseId, compartment: 'legal', epoch: 0 }))).toBe('COMPARTMENT_REFERENCE_INVALID');
  });

  it('derive distinct record and search keys, different per compartment and epoch', () => {
    const keys = [
      testimony,
      generateCompartmentKey({ caseId, compartment: 'evidence', epoch: 0 }),
      { ...testimony, reference: { ...testimony.reference, epoch: 1 } },
      { ...testimony, reference: { ...testimony.reference, compartment: 'legal' as const } },
    ];
    const derived = keys.flatMap((k) => [toBase64url(deriveRecordKey(k)), toBase64url(deriveSearchKey(k))]);
    expect(new Set(derived).size).toBe(derived.length);
    expect(toBase64url(deriveRecordKey(testimony))).toBe(toBase64url(deriveRecordKey({ ...testimony })));
  });

  it('export as an age identity and recipient that belong together', () => {
    const identity = compartmentAgeIdentity(testimony);
    const recipient = compartmentAgeRecipient(testimony);
    expect(identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/);
    expect(recipient).toMatch(/^age1[0-9a-z]+$/);
    expect(decodeIdentity(identity)).toEqual(testimony.privateKey);
    expect(decodeRecipient(recipient)).toEqual(x25519.getPublicKey(decodeIdentity(identity)));
  });
});

describe('sealed compartment keys (grants)', () => {
  it('open for the member they were sealed to, with the grantor verified', () => {
    const opened = openCompartmentKey(JSON.parse(JSON.stringify(sealed)), specialist.keys, coordinator.certified, testimony.reference);
    expect(opened).toEqual(testimony);
    // The grantor's bare signing key works too.
    expect(openCompartmentKey(sealed, specialist.keys, coordinator.certified.signingPublicKey)).toEqual(testimony);
    expect(JSON.stringify(sealed)).not.toContain(toBase64url(testimony.privateKey));
  });

  it('round-trip for any compartment and epoch', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('identity', 'contact', 'logistics', 'testimony', 'evidence', 'support', 'legal', 'intake', 'safety' as const),
        fc.nat(1000),
        (compartment, epoch) => {
          const reference = { caseId: compartment === 'intake' || compartment === 'safety' ? null : caseId, compartment, epoch };
          const key = generateCompartmentKey(reference);
          expect(openCompartmentKey(sealCompartmentKey(key, specialist.certified, grantor), specialist.keys, coordinator.certified, reference)).toEqual(key);
        },
      ),
      { numRuns: 20 },
    );
  });

  it('do not open for anyone else', () => {
    const outsider = member('outsider');
    expect(errorCode(() => openCompartmentKey(sealed, outsider.keys, coordinator.certified))).toBe('SEALED_KEY_WRONG_RECIPIENT');
    // Even when the recipient field is rewritten to the outsider's key.
    const readdressed = withField(sealed, 'recipientKey', toBase64url(outsider.keys.encryption.publicKey));
    expect(errorCode(() => openCompartmentKey(readdressed, outsider.keys, coordinator.certified))).toBe('SEALED_KEY_TAMPERED');
  });

  it('refuse a grant the server forged with its own key pair (no valid grantor signature)', () => {
    const serverSigner = memberSigner(coordinator.certified.memberId, generateMemberKeys());
    const forged = sealCompartmentKey(generateCompartmentKey(testimony.reference), specialist.certified, serverSigner);
    expect(errorCode(() => openCompartmentKey(forged, specialist.keys, coordinator.certified))).toBe('SEALED_KEY_BAD_SIGNATURE');
    // Signed by a real member, but not the one the caller expects as grantor.
    const other = sealCompartmentKey(testimony, specialist.certified, memberSigner(specialist.certified.memberId, specialist.keys));
    expect(errorCode(() => openCompartmentKey(other, specialist.keys, coordinator.certified))).toBe('SEALED_KEY_BAD_SIGNATURE');
  });

  it('refuse a key for another case, compartment or epoch than expected', () => {
    for (const expected of [
      { ...testimony.reference, caseId: asCaseId('OTHER') },
      { ...testimony.reference, compartment: 'legal' as const },
      { ...testimony.reference, epoch: 1 },
    ]) {
      expect(errorCode(() => openCompartmentKey(sealed, specialist.keys, coordinator.certified, expected))).toBe('SEALED_KEY_WRONG_CONTEXT');
    }
    // Relabelled without an expectation: the reference is bound into the box.
    expect(errorCode(() => openCompartmentKey(withField(sealed, 'compartment', 'legal'), specialist.keys, coordinator.certified))).toBe('SEALED_KEY_TAMPERED');
    expect(errorCode(() => openCompartmentKey(withField(sealed, 'epoch', 5), specialist.keys, coordinator.certified))).toBe('SEALED_KEY_TAMPERED');
  });

  describe('detect every single-bit flip', () => {
    const open = (s: unknown): unknown => openCompartmentKey(s, specialist.keys, coordinator.certified, testimony.reference);
    it('in the sealed key', () => {
      for (let bit = 0; bit < bitLength(sealed, 'sealed'); bit++)
        expect(errorCode(() => open(flipField(sealed, 'sealed', bit)))).toBe(bit < 8 ? 'SEALED_KEY_MALFORMED' : 'SEALED_KEY_TAMPERED');
    });
    it('in the compartment public key, the recipient key and the signature', () => {
      for (let bit = 0; bit < 256; bit++) {
        expect(errorCode(() => open(flipField(sealed, 'publicKey', bit)))).toBe('SEALED_KEY_TAMPERED');
        expect(errorCode(() => open(flipField(sealed, 'recipientKey', bit)))).toBe('SEALED_KEY_WRONG_RECIPIENT');
      }
      for (let bit = 0; bit < 512; bit += 3) expect(errorCode(() => open(flipField(sealed, 'signature', bit)))).toBe('SEALED_KEY_BAD_SIGNATURE');
    });
    it('in the member ids', () => {
      expect(errorCode(() => open(withField(sealed, 'recipient', 'mallory')))).toBe('SEALED_KEY_BAD_SIGNATURE');
      expect(errorCode(() => open(withField(sealed, 'grantedBy', 'mallory')))).toBe('SEALED_KEY_BAD_SIGNATURE');
      expect(errorCode(() => open(withField(sealed, 'v', 2)))).toBe('FORMAT_VERSION_UNSUPPORTED');
      expect(errorCode(() => open(withField(sealed, 'v', '1')))).toBe('SEALED_KEY_MALFORMED');
    });
    it('anywhere in the JSON text', () => {
      fc.assert(
        fc.property(fc.nat(jsonBitLength(sealed) - 1), (bit) => {
          expect(sealedCodes).toContain(errorCode(() => open(flipJsonBit(sealed, bit))));
        }),
        { numRuns: 300 },
      );
    });
  });

  it('refuse garbage with SEALED_KEY_MALFORMED', () => {
    const text = JSON.stringify(sealed);
    for (const input of [
      null,
      'x',
      text.slice(0, -3),
      `${text}${' '.repeat(5000)}`,
      { ...sealed, extra: 1 },
      withField(sealed, 'caseId', null),
      withField(sealed, 'epoch', 1.5),
    ]) {
      expect(errorCode(() => parseSealedCompartmentKey(input))).toBe('SEALED_KEY_MALFORMED');
    }
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => !hasNewerVersionTag(value, 1)),
        (value) => {
          expect(errorCode(() => parseSealedCompartmentKey(value))).toBe('SEALED_KEY_MALFORMED');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('keyring and rotation', () => {
  it('starts at epoch 0 and rotates to new key pairs, keeping the old ones', () => {
    let ring = newCompartmentKeyring({ caseId, compartment: 'contact' });
    expect(currentEpoch(ring)).toBe(0);
    const first = currentCompartmentKey(ring);
    ring = rotateCompartment(ring);
    ring = rotateCompartment(ring);
    expect(currentEpoch(ring)).toBe(2);
    expect(ring.keys.map((k) => k.reference.epoch)).toEqual([0, 1, 2]);
    expect(compartmentKeyForEpoch(ring, 0)).toBe(first);
    expect(new Set(ring.keys.map((k) => toBase64url(k.publicKey))).size).toBe(3);
    expect(errorCode(() => compartmentKeyForEpoch(ring, 7))).toBe('COMPARTMENT_EPOCH_UNKNOWN');
  });

  it('a removed member cannot open the new epoch; the remaining one opens both', () => {
    const removed = member('removed');
    let ring = newCompartmentKeyring({ caseId, compartment: 'identity' });
    const epoch0 = currentCompartmentKey(ring);
    const grants0 = [specialist, removed].map((m) => sealCompartmentKey(epoch0, m.certified, grantor));
    ring = rotateCompartment(ring);
    const epoch1 = currentCompartmentKey(ring);
    const grant1 = sealCompartmentKey(epoch1, specialist.certified, grantor);
    // The removed member still holds epoch 0 but has no grant for epoch 1.
    expect(openCompartmentKey(grants0[1], removed.keys, coordinator.certified)).toEqual(epoch0);
    expect(errorCode(() => openCompartmentKey(grant1, removed.keys, coordinator.certified))).toBe('SEALED_KEY_WRONG_RECIPIENT');
    const opened = compartmentKeyring([
      openCompartmentKey(grant1, specialist.keys, coordinator.certified),
      openCompartmentKey(grants0[0], specialist.keys, coordinator.certified),
    ]);
    expect(opened.keys.map((k) => k.reference.epoch)).toEqual([0, 1]);
    expect(currentCompartmentKey(opened)).toEqual(epoch1);
  });

  it('refuses a key of another compartment', () => {
    const ring = newCompartmentKeyring({ caseId, compartment: 'contact' });
    expect(errorCode(() => addCompartmentKey(ring, testimony))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => compartmentKeyring([]))).toBe('COMPARTMENT_REFERENCE_INVALID');
  });
});
