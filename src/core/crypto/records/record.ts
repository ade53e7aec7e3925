import { aeadDecrypt, aeadEncrypt, aeadTagLength, xchachaNonceLength } from '../primitives/aead.js';
import { labelledJson, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { signatureLength, type Ed25519PublicKey, type RecordKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import type { CaseId, MemberId, RecordId } from '../../domain/ids.js';
import { isCompartmentName, type CompartmentName } from '../../domain/compartments.js';
import { checkCompartmentReference, maxEpoch } from '../compartments/reference.js';
import type { CertifiedMember } from '../trust/certificate.js';
import { signJson, verifyJson, type MemberSigner } from '../trust/signatures.js';

/** Where a record belongs: bound into its ciphertext, so it cannot be moved, swapped or rolled back unnoticed. */
export interface RecordReference {
  caseId: CaseId | null;
  compartment: CompartmentName;
  recordId: RecordId;
  version: number;
  /** The compartment epoch whose record key encrypted it. */
  epoch: number;
}

/**
 * A record as the server stores it: the reference and author in the clear
 * (so the server can file it), the XChaCha20-Poly1305 ciphertext, and the
 * author's Ed25519 signature over the JCS form of every other field.
 */
export interface SealedRecord {
  v: 1;
  caseId: CaseId | null;
  compartment: CompartmentName;
  recordId: RecordId;
  version: number;
  epoch: number;
  author: MemberId;
  nonce: string;
  ciphertext: string;
  signature: string;
}

export const maxRecordBytes = 16 * 1024 * 1024;
const maxVersion = Number.MAX_SAFE_INTEGER;

export function checkRecordReference(reference: RecordReference): RecordReference {
  const { caseId, compartment, epoch } = checkCompartmentReference(reference);
  const fail = (field: string): never => {
    throw cryptoError('COMPARTMENT_REFERENCE_INVALID', { field });
  };
  const { recordId, version } = reference;
  if (typeof recordId !== 'string' || recordId.length > maxIdLength || !idPattern.test(recordId)) fail('recordId');
  if (!Number.isSafeInteger(version) || version < 0) fail('version');
  return { caseId, compartment, recordId, version, epoch };
}

function associatedData(reference: RecordReference, author: MemberId): Uint8Array {
  const { caseId, compartment, recordId, version, epoch } = reference;
  return labelledJson(labels.record, { v: 1, caseId, compartment, recordId, version, epoch, author });
}

export function sealRecord(reference: RecordReference, plaintext: Uint8Array, recordKey: RecordKey, author: MemberSigner): SealedRecord {
  const ref = checkRecordReference(reference);
  if (plaintext.length > maxRecordBytes) throw cryptoError('RECORD_MALFORMED', { field: 'plaintext', reason: 'too long' });
  const { nonce, ciphertext } = aeadEncrypt(recordKey, plaintext, associatedData(ref, author.memberId));
  const unsigned: Omit<SealedRecord, 'signature'> = {
    v: 1,
    ...ref,
    author: author.memberId,
    nonce: toBase64url(nonce),
    ciphertext: toBase64url(ciphertext),
  };
  return { ...unsigned, signature: toBase64url(signJson(author.signingPrivateKey, labels.recordSignature, unsigned)) };
}

const fields = ['v', 'caseId', 'compartment', 'recordId', 'version', 'epoch', 'author', 'nonce', 'ciphertext', 'signature'] as const;

/** Strict shape check of a stored record; says nothing about its key or signature. */
export function parseSealedRecord(input: unknown): SealedRecord {
  const r = new StrictReader('RECORD_MALFORMED', Math.ceil((maxRecordBytes * 4) / 3) + 4096);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'record', fields);
  r.literal(o.v, 'v', 1);
  const record: SealedRecord = {
    v: 1,
    caseId: o.caseId === null ? null : (r.string(o.caseId, 'caseId', maxIdLength, idPattern) as CaseId),
    compartment: r.oneOf(o.compartment, 'compartment', isCompartmentName),
    recordId: r.string(o.recordId, 'recordId', maxIdLength, idPattern) as RecordId,
    version: r.integer(o.version, 'version', 0, maxVersion),
    epoch: r.integer(o.epoch, 'epoch', 0, maxEpoch),
    author: r.string(o.author, 'author', maxIdLength, idPattern) as MemberId,
    nonce: o.nonce as string,
    ciphertext: o.ciphertext as string,
    signature: o.signature as string,
  };
  r.bytes(o.nonce, 'nonce', xchachaNonceLength);
  r.bytes(o.ciphertext, 'ciphertext', [aeadTagLength, maxRecordBytes + aeadTagLength]);
  r.bytes(o.signature, 'signature', signatureLength);
  try {
    checkRecordReference(record);
  } catch {
    r.fail('caseId', 'does not fit the compartment');
  }
  return record;
}

/**
 * Opens a record the caller expects at `expected`. Checks, in order:
 * RECORD_MALFORMED (shape), RECORD_WRONG_CONTEXT (another case, compartment,
 * record, version or epoch), RECORD_TAMPERED (the AEAD tag: any changed byte,
 * or the wrong key), RECORD_BAD_SIGNATURE (not signed by `author`). With a
 * CertifiedMember as `author`, the record's author id must be theirs too.
 */
export function openRecord(
  input: SealedRecord | unknown,
  recordKey: RecordKey,
  expected: RecordReference,
  author: CertifiedMember | Ed25519PublicKey,
): Uint8Array {
  const record = parseSealedRecord(input);
  const want = checkRecordReference(expected);
  const same =
    record.caseId === want.caseId &&
    record.compartment === want.compartment &&
    record.recordId === want.recordId &&
    record.version === want.version &&
    record.epoch === want.epoch;
  if (!same) throw cryptoError('RECORD_WRONG_CONTEXT');
  const r = new StrictReader('RECORD_MALFORMED', Infinity);
  const plaintext = aeadDecrypt(
    recordKey,
    r.bytes(record.nonce, 'nonce', xchachaNonceLength),
    r.bytes(record.ciphertext, 'ciphertext', [aeadTagLength, maxRecordBytes + aeadTagLength]),
    associatedData(want, record.author),
  );
  if (!plaintext) throw cryptoError('RECORD_TAMPERED');
  const authorKey = author instanceof Uint8Array ? author : author.signingPublicKey;
  if (!(author instanceof Uint8Array) && author.memberId !== record.author) throw cryptoError('RECORD_BAD_SIGNATURE', { field: 'author' });
  const { signature, ...unsigned } = record;
  if (!verifyJson(authorKey, labels.recordSignature, unsigned, r.bytes(signature, 'signature', signatureLength))) {
    plaintext.fill(0);
    throw cryptoError('RECORD_BAD_SIGNATURE');
  }
  return plaintext;
}

/**
 * The server's second wall: a record it is asked to store must be well
 * formed and signed by its author (it cannot decrypt it). Throws
 * RECORD_MALFORMED / RECORD_BAD_SIGNATURE.
 */
export function checkSealedRecordSignature(input: unknown, authorSigningKey: Ed25519PublicKey): SealedRecord {
  const record = parseSealedRecord(input);
  const { signature, ...unsigned } = record;
  if (
    !verifyJson(
      authorSigningKey,
      labels.recordSignature,
      unsigned,
      new StrictReader('RECORD_MALFORMED', Infinity).bytes(signature, 'signature', signatureLength),
    )
  ) {
    throw cryptoError('RECORD_BAD_SIGNATURE');
  }
  return record;
}
