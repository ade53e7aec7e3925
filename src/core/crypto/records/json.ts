import { canonicalJson, utf8Decode } from '../primitives/bytes.js';
import { cryptoError, isCryptoError } from '../primitives/errors.js';
import type { Ed25519PublicKey, RecordKey } from '../primitives/keys.js';
import type { CertifiedMember } from '../trust/certificate.js';
import type { MemberSigner } from '../trust/signatures.js';
import { openRecord, sealRecord, type RecordReference, type SealedRecord } from './record.js';

/** Seals a JSON value (stored in its RFC 8785 canonical form). */
export function sealJsonRecord(reference: RecordReference, value: unknown, recordKey: RecordKey, author: MemberSigner): SealedRecord {
  let bytes: Uint8Array;
  try {
    bytes = canonicalJson(value);
  } catch (error) {
    if (isCryptoError(error)) throw cryptoError('RECORD_MALFORMED', { field: 'value', reason: 'not JSON' }, error);
    throw error;
  }
  return sealRecord(reference, bytes, recordKey, author);
}

/** The parsed JSON value; the caller validates its shape. */
export function openJsonRecord(
  sealed: SealedRecord | unknown,
  recordKey: RecordKey,
  expected: RecordReference,
  author: CertifiedMember | Ed25519PublicKey,
): unknown {
  const bytes = openRecord(sealed, recordKey, expected, author);
  try {
    return JSON.parse(utf8Decode(bytes)) as unknown;
  } catch (cause) {
    // Authentic but not JSON: the author sealed bytes, not a JSON record.
    throw cryptoError('RECORD_MALFORMED', { field: 'plaintext', reason: 'not JSON' }, cause);
  }
}
