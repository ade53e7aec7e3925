import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asCaseId, asMemberId, asRecordId } from '../../domain/ids.js';
import { deriveRecordKey, generateCompartmentKey } from '../compartments/key.js';
import { generateMemberKeys } from '../member-keys/keys.js';
import { randomBytes, toBase64url, utf8Encode } from '../primitives/bytes.js';
import { bitLength, errorCode, flipField, flipJsonBit, jsonBitLength, withField } from '../primitives/testing.js';
import { signMemberCertificate, verifyMemberCertificate } from '../trust/certificate.js';
import { generateOrganizationKey } from '../trust/organization.js';
import { memberSigner } from '../trust/signatures.js';
import { openJsonRecord, sealJsonRecord } from './json.js';
import { openRecord, parseSealedRecord, sealRecord, type RecordReference } from './record.js';

const org = generateOrganizationKey();
const authorKeys = generateMemberKeys();
const authorId = asMemberId('author');
const author = memberSigner(authorId, authorKeys);
const certifiedAuthor = verifyMemberCertificate(
  org.publicKey,
  signMemberCertificate(org.privateKey, {
    memberId: authorId,
    name: 'author',
    role: 'specialist',
    encryptionPublicKey: authorKeys.encryption.publicKey,
    signingPublicKey: authorKeys.signing.publicKey,
    issuedBy: asMemberId('admin'),
  }),
);
const compartment = generateCompartmentKey({ caseId: asCaseId('K7F-3QX'), compartment: 'testimony', epoch: 0 });
const recordKey = deriveRecordKey(compartment);
const reference: RecordReference = { ...compartment.reference, recordId: asRecordId('rec-1'), version: 3 };
const plaintext = utf8Encode('Служил в в/ч 12345 с марта; покинул часть 2 мая.');
const sealed = sealRecord(reference, plaintext, recordKey, author);
// A bit flip can turn `"v":1` into a newer version tag, which reads as FORMAT_VERSION_UNSUPPORTED.
const recordCodes = ['RECORD_MALFORMED', 'RECORD_WRONG_CONTEXT', 'RECORD_TAMPERED', 'RECORD_BAD_SIGNATURE', 'FORMAT_VERSION_UNSUPPORTED'];
const open = (s: unknown): Uint8Array => openRecord(s, recordKey, reference, authorKeys.signing.publicKey);

describe('sealed records', () => {
  it('round-trip any bytes, with the author checked by key or by certificate', () => {
    expect(openRecord(JSON.parse(JSON.stringify(sealed)), recordKey, reference, certifiedAuthor)).toEqual(plaintext);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(1_000_000), (bytes, version) => {
        const ref = { ...reference, version };
        expect(openRecord(sealRecord(ref, bytes, recordKey, author), recordKey, ref, authorKeys.signing.publicKey)).toEqual(bytes);
      }),
      { numRuns: 40 },
    );
  });

  it('round-trip JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const opened = openJsonRecord(sealJsonRecord(reference, value, recordKey, author), recordKey, reference, certifiedAuthor);
        expect(opened).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 40 },
    );
  });

  it('keep the content out of the stored form, and encrypt twice differently', () => {
    const text = JSON.stringify(sealed);
    expect(text).not.toContain('12345');
    expect(sealRecord(reference, plaintext, recordKey, author).ciphertext).not.toBe(sealed.ciphertext);
  });

  it('refuse the wrong place: another case, compartment, record, version or epoch', () => {
    for (const expected of [
      { ...reference, caseId: asCaseId('OTHER') },
      { ...reference, compartment: 'legal' as const },
      { ...reference, recordId: asRecordId('rec-2') },
      { ...reference, version: 2 },
      { ...reference, epoch: 1 },
    ]) {
      expect(errorCode(() => openRecord(sealed, recordKey, expected, authorKeys.signing.publicKey))).toBe('RECORD_WRONG_CONTEXT');
    }
  });

  it('refuse a record moved to another place even when the stored reference is rewritten', () => {
    // The server relabels a record as version 4 of another record: the AEAD binds the reference.
    const moved = { ...sealed, recordId: 'rec-2', version: 4 };
    const target = { ...reference, recordId: asRecordId('rec-2'), version: 4 };
    expect(errorCode(() => openRecord(moved, recordKey, target, authorKeys.signing.publicKey))).toBe('RECORD_TAMPERED');
  });

  it('refuse the wrong key', () => {
    const other = deriveRecordKey(generateCompartmentKey(compartment.reference));
    expect(errorCode(() => openRecord(sealed, other, reference, authorKeys.signing.publicKey))).toBe('RECORD_TAMPERED');
  });

  it('refuse a signature from anyone but the author', () => {
    const mallory = generateMemberKeys();
    expect(errorCode(() => openRecord(sealed, recordKey, reference, mallory.signing.publicKey))).toBe('RECORD_BAD_SIGNATURE');
    // Mallory holds the compartment key and re-signs the author's record as the author.
    const resigned = sealRecord(reference, plaintext, recordKey, memberSigner(authorId, mallory));
    expect(errorCode(() => openRecord(resigned, recordKey, reference, certifiedAuthor))).toBe('RECORD_BAD_SIGNATURE');
    // A certificate for another member than the record names.
    const bob = { ...certifiedAuthor, memberId: asMemberId('bob') };
    expect(errorCode(() => openRecord(sealed, recordKey, reference, bob))).toBe('RECORD_BAD_SIGNATURE');
  });

  describe('detect every single-bit flip', () => {
    it('in the ciphertext and the nonce', () => {
      for (const field of ['ciphertext', 'nonce']) {
        for (let bit = 0; bit < bitLength(sealed, field); bit++) expect(errorCode(() => open(flipField(sealed, field, bit)))).toBe('RECORD_TAMPERED');
      }
    });
    it('in the signature', () => {
      for (let bit = 0; bit < 512; bit++) expect(errorCode(() => open(flipField(sealed, 'signature', bit)))).toBe('RECORD_BAD_SIGNATURE');
    });
    it('in the clear fields', () => {
      expect(errorCode(() => open(withField(sealed, 'author', 'someone-else')))).toBe('RECORD_TAMPERED');
      expect(errorCode(() => open(withField(sealed, 'version', 4)))).toBe('RECORD_WRONG_CONTEXT');
      expect(errorCode(() => open(withField(sealed, 'epoch', 1)))).toBe('RECORD_WRONG_CONTEXT');
      expect(errorCode(() => open(withField(sealed, 'v', 2)))).toBe('FORMAT_VERSION_UNSUPPORTED');
      expect(errorCode(() => open(withField(sealed, 'v', 0)))).toBe('RECORD_MALFORMED');
    });
    it('anywhere in the JSON text', () => {
      fc.assert(
        fc.property(fc.nat(jsonBitLength(sealed) - 1), (bit) => {
          expect(recordCodes).toContain(errorCode(() => open(flipJsonBit(sealed, bit))));
        }),
        { numRuns: 500 },
      );
    });
  });

  it('refuse garbage, truncated and oversized records with RECORD_MALFORMED', () => {
    const text = JSON.stringify(sealed);
    for (const input of [
      null,
      'x',
      text.slice(0, -1),
      { ...sealed, extra: 1 },
      withField(sealed, 'ciphertext', ''),
      withField(sealed, 'ciphertext', toBase64url(randomBytes(8))),
      withField(sealed, 'nonce', toBase64url(randomBytes(12))),
      withField(sealed, 'caseId', null),
      withField(sealed, 'compartment', 'attic'),
      withField(sealed, 'version', -1),
      withField(sealed, 'recordId', 'a b'),
      withField(sealed, 'ciphertext', 'A'.repeat(30_000_000)),
    ]) {
      expect(errorCode(() => open(input))).toBe('RECORD_MALFORMED');
    }
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(errorCode(() => parseSealedRecord(value))).toBe('RECORD_MALFORMED');
      }),
      { numRuns: 200 },
    );
  });

  it('openJsonRecord refuses an authentic record that is not JSON', () => {
    const bytes = sealRecord(reference, new Uint8Array([0xff, 0x00]), recordKey, author);
    expect(errorCode(() => openJsonRecord(bytes, recordKey, reference, certifiedAuthor))).toBe('RECORD_MALFORMED');
  });

  it('sealRecord refuses an invalid reference', () => {
    expect(errorCode(() => sealRecord({ ...reference, recordId: asRecordId('') }, plaintext, recordKey, author))).toBe('COMPARTMENT_REFERENCE_INVALID');
    expect(errorCode(() => sealRecord({ ...reference, caseId: null }, plaintext, recordKey, author))).toBe('COMPARTMENT_REFERENCE_INVALID');
  });
});
