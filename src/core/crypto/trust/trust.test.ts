import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asMemberId } from '../../domain/ids.js';
import { generateMemberKeys } from '../member-keys/keys.js';
import { toBase64url, utf8Encode } from '../primitives/bytes.js';
import { bitLength, errorCode, hasNewerVersionTag, flipBit, flipField, flipJsonBit, jsonBitLength, withField } from '../primitives/testing.js';
import { signMemberCertificate, parseMemberCertificate, verifyMemberCertificate, type CertificateRequest } from './certificate.js';
import {
  decodeOrganizationPublicKey,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  openOrganizationKey,
  organizationFingerprint,
  sealOrganizationKey,
} from './organization.js';
import { assertMemberSignature, signWithMemberKey, verifyMemberSignature } from './signatures.js';

const org = generateOrganizationKey();
const admin = asMemberId('admin-1');
const alice = asMemberId('alice');
const aliceKeys = generateMemberKeys();
const request: CertificateRequest = {
  memberId: alice,
  name: 'Alice',
  role: 'specialist',
  encryptionPublicKey: aliceKeys.encryption.publicKey,
  signingPublicKey: aliceKeys.signing.publicKey,
  issuedBy: admin,
  issuedAt: '2025-05-01T12:00:00.000Z',
};
const certificate = signMemberCertificate(org.privateKey, request);
// A bit flip can turn `"v":2` into a newer version tag, which reads as FORMAT_VERSION_UNSUPPORTED.
const certificateCodes = ['CERTIFICATE_INVALID', 'CERTIFICATE_WRONG_ORGANIZATION', 'FORMAT_VERSION_UNSUPPORTED'];

describe('organization key', () => {
  it('has a fingerprint of 12 groups of 5 digits, distinct from a member fingerprint of the same bytes', () => {
    expect(organizationFingerprint(org.publicKey)).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(organizationFingerprint(generateOrganizationKey().publicKey)).not.toBe(organizationFingerprint(org.publicKey));
  });

  it('encodes and decodes', () => {
    expect(decodeOrganizationPublicKey(encodeOrganizationPublicKey(org.publicKey))).toEqual(org.publicKey);
    expect(errorCode(() => decodeOrganizationPublicKey('AAAA'))).toBe('KEY_INVALID');
  });
});

describe('member certificates', () => {
  it('verify against the pinned organization key and give the certified member', () => {
    const member = verifyMemberCertificate(org.publicKey, JSON.parse(JSON.stringify(certificate)), {
      memberId: alice,
      encryptionPublicKey: aliceKeys.encryption.publicKey,
      signingPublicKey: aliceKeys.signing.publicKey,
      role: 'specialist',
    });
    expect(member).toMatchObject({ memberId: alice, role: 'specialist', issuedBy: admin, issuedAt: request.issuedAt });
    expect(member.encryptionPublicKey).toEqual(aliceKeys.encryption.publicKey);
    expect(member.signingPublicKey).toEqual(aliceKeys.signing.publicKey);
    expect(member.fingerprint).toMatch(/^\d{5}( \d{5}){11}$/);
  });

  it('refuse a certificate from another organization key', () => {
    const other = generateOrganizationKey();
    const foreign = signMemberCertificate(other.privateKey, request);
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, foreign))).toBe('CERTIFICATE_WRONG_ORGANIZATION');
    // Even one claiming our organization key but signed by another.
    const forged = { ...foreign, body: { ...foreign.body, organizationKey: encodeOrganizationPublicKey(org.publicKey) } };
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, forged))).toBe('CERTIFICATE_INVALID');
  });

  it('refuse a valid certificate served beside other keys or for another member (key substitution)', () => {
    const mallory = generateMemberKeys();
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, certificate, { encryptionPublicKey: mallory.encryption.publicKey }))).toBe(
      'CERTIFICATE_MISMATCH',
    );
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, certificate, { signingPublicKey: mallory.signing.publicKey }))).toBe('CERTIFICATE_MISMATCH');
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, certificate, { memberId: asMemberId('bob') }))).toBe('CERTIFICATE_MISMATCH');
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, certificate, { role: 'administrator' }))).toBe('CERTIFICATE_MISMATCH');
  });

  it('detect a changed field in the body (role escalation, swapped key, other member)', () => {
    const mallory = generateMemberKeys();
    for (const [field, value] of [
      ['body.role', 'administrator'],
      ['body.memberId', 'bob'],
      ['body.issuedBy', 'someone'],
      ['body.issuedAt', '2025-05-01T12:00:01.000Z'],
      ['body.encryptionPublicKey', toBase64url(mallory.encryption.publicKey)],
      ['body.signingPublicKey', toBase64url(mallory.signing.publicKey)],
    ] as const) {
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, withField(certificate, field, value)))).toBe('CERTIFICATE_INVALID');
    }
  });

  it('detect every single-bit flip of the signature and of the keys', () => {
    for (let bit = 0; bit < 512; bit++) {
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, flipField(certificate, 'signature', bit)))).toBe('CERTIFICATE_INVALID');
    }
    for (let bit = 0; bit < 256; bit++) {
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, flipField(certificate, 'body.organizationKey', bit)))).toBe(
        'CERTIFICATE_WRONG_ORGANIZATION',
      );
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, flipField(certificate, 'body.encryptionPublicKey', bit)))).toBe('CERTIFICATE_INVALID');
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, flipField(certificate, 'body.signingPublicKey', bit)))).toBe('CERTIFICATE_INVALID');
    }
  });

  it('detect a single-bit flip anywhere in the JSON text', () => {
    fc.assert(
      fc.property(fc.nat(jsonBitLength(certificate) - 1), (bit) => {
        expect(certificateCodes).toContain(errorCode(() => verifyMemberCertificate(org.publicKey, flipJsonBit(certificate, bit))));
      }),
      { numRuns: 400 },
    );
  });

  it('refuse garbage, truncated and oversized input with CERTIFICATE_INVALID', () => {
    const text = JSON.stringify(certificate);
    for (const input of [
      null,
      7,
      'x',
      '{}',
      [],
      text.slice(0, -2),
      text + ' '.repeat(5000),
      { ...certificate, extra: 1 },
      withField(certificate, 'body.role', 'king'),
      withField(certificate, 'v', 0),
      withField(certificate, 'body.issuedAt', 'yesterday'),
      withField(certificate, 'body.memberId', ''),
      withField(certificate, 'body.memberId', 'x'.repeat(500)),
    ]) {
      expect(errorCode(() => verifyMemberCertificate(org.publicKey, input))).toBe('CERTIFICATE_INVALID');
    }
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, withField(certificate, 'v', 3)))).toBe('FORMAT_VERSION_UNSUPPORTED');
    fc.assert(
      fc.property(
        fc.jsonValue().filter((value) => !hasNewerVersionTag(value, 2)),
        (value) => {
          expect(errorCode(() => parseMemberCertificate(value))).toBe('CERTIFICATE_INVALID');
        },
      ),
      { numRuns: 200 },
    );
  });

  it('signMemberCertificate refuses to sign what no verifier would accept', () => {
    expect(errorCode(() => signMemberCertificate(org.privateKey, { ...request, memberId: asMemberId('has space') }))).toBe('CERTIFICATE_INVALID');
    expect(errorCode(() => signMemberCertificate(org.privateKey, { ...request, role: 'king' as never }))).toBe('CERTIFICATE_INVALID');
  });

  it('default issuedAt to now', () => {
    const { issuedAt: _omit, ...rest } = request;
    const body = signMemberCertificate(org.privateKey, rest).body;
    expect(Math.abs(Date.parse(body.issuedAt) - Date.now())).toBeLessThan(60_000);
  });
});

describe('sealed organization key', () => {
  const adminKeys = generateMemberKeys();
  const sealed = sealOrganizationKey(org, adminKeys.encryption.publicKey);

  it('opens for the administrator it was sealed to, and is the pinned key', () => {
    const opened = openOrganizationKey(JSON.parse(JSON.stringify(sealed)), adminKeys, org.publicKey);
    expect(opened.privateKey).toEqual(org.privateKey);
    expect(opened.publicKey).toEqual(org.publicKey);
    expect(JSON.stringify(sealed)).not.toContain(toBase64url(org.privateKey));
  });

  it('refuses another administrator, another organization, and a substituted key pair', () => {
    expect(errorCode(() => openOrganizationKey(sealed, generateMemberKeys(), org.publicKey))).toBe('SEALED_KEY_WRONG_RECIPIENT');
    expect(errorCode(() => openOrganizationKey(sealed, adminKeys, generateOrganizationKey().publicKey))).toBe('ORGANIZATION_KEY_MISMATCH');
    // A server that seals its own organization key to the administrator.
    const substituted = sealOrganizationKey(generateOrganizationKey(), adminKeys.encryption.publicKey);
    expect(errorCode(() => openOrganizationKey(substituted, adminKeys, org.publicKey))).toBe('ORGANIZATION_KEY_MISMATCH');
    const relabelled = { ...substituted, organizationKey: sealed.organizationKey };
    expect(errorCode(() => openOrganizationKey(relabelled, adminKeys, org.publicKey))).toBe('SEALED_KEY_TAMPERED');
  });

  it('detects every single-bit flip', () => {
    for (let bit = 0; bit < bitLength(sealed, 'sealed'); bit++) {
      expect(errorCode(() => openOrganizationKey(flipField(sealed, 'sealed', bit), adminKeys, org.publicKey))).toBe(
        bit < 8 ? 'SEALED_KEY_MALFORMED' : 'SEALED_KEY_TAMPERED',
      );
    }
    for (let bit = 0; bit < 256; bit++) {
      expect(errorCode(() => openOrganizationKey(flipField(sealed, 'organizationKey', bit), adminKeys, org.publicKey))).toBe('ORGANIZATION_KEY_MISMATCH');
      expect(errorCode(() => openOrganizationKey(flipField(sealed, 'recipientKey', bit), adminKeys, org.publicKey))).toBe('SEALED_KEY_WRONG_RECIPIENT');
    }
    expect(errorCode(() => openOrganizationKey(withField(sealed, 'v', 2), adminKeys, org.publicKey))).toBe('FORMAT_VERSION_UNSUPPORTED');
    expect(errorCode(() => openOrganizationKey(withField(sealed, 'v', null), adminKeys, org.publicKey))).toBe('SEALED_KEY_MALFORMED');
    expect(errorCode(() => openOrganizationKey('garbage', adminKeys, org.publicKey))).toBe('SEALED_KEY_MALFORMED');
  });
});

describe('member signatures', () => {
  const keys = generateMemberKeys();
  const message = utf8Encode('challenge 1234');

  it('verify under the same label only', () => {
    const signature = signWithMemberKey(keys.signing.privateKey, 'login-challenge', message);
    expect(verifyMemberSignature(keys.signing.publicKey, 'login-challenge', message, signature)).toBe(true);
    expect(verifyMemberSignature(keys.signing.publicKey, 'audit', message, signature)).toBe(false);
    expect(verifyMemberSignature(generateMemberKeys().signing.publicKey, 'login-challenge', message, signature)).toBe(false);
    expect(errorCode(() => assertMemberSignature(keys.signing.publicKey, 'login-challenge', utf8Encode('other'), signature))).toBe('SIGNATURE_INVALID');
  });

  it('detect every single-bit flip of the signature and of the message', () => {
    const signature = signWithMemberKey(keys.signing.privateKey, 'audit', message);
    for (let bit = 0; bit < 512; bit++) expect(verifyMemberSignature(keys.signing.publicKey, 'audit', message, flipBit(signature, bit))).toBe(false);
    for (let bit = 0; bit < message.length * 8; bit++)
      expect(verifyMemberSignature(keys.signing.publicKey, 'audit', flipBit(message, bit), signature)).toBe(false);
  });

  it('refuse labels that could blur the boundary between label and message', () => {
    expect(errorCode(() => signWithMemberKey(keys.signing.privateKey, 'a\nb', message))).toBe('ENCODING_INVALID');
    expect(errorCode(() => signWithMemberKey(keys.signing.privateKey, '', message))).toBe('ENCODING_INVALID');
  });

  it('are not certificates: a member signature over a certificate body never verifies as one', () => {
    const signature = signWithMemberKey(org.privateKey as never, 'member-certificate', utf8Encode(JSON.stringify(certificate.body)));
    expect(errorCode(() => verifyMemberCertificate(org.publicKey, { ...certificate, signature: toBase64url(signature) }))).toBe('CERTIFICATE_INVALID');
  });
});
