import type { StoredRecord, WriteRecordRequest } from '../api/cases.js';
import type { CaseCompartmentName, RecordKind } from '../domain/cases.js';
import type { CaseId, RecordId } from '../domain/ids.js';
import { blindTokens } from '../crypto/search/blind.js';
import { compartmentKeyForEpoch, currentCompartmentKey, type CompartmentKeyring } from '../crypto/compartments/keyring.js';
import { deriveRecordKey, deriveSearchKey } from '../crypto/compartments/key.js';
import { openJsonRecord, sealJsonRecord } from '../crypto/records/json.js';
import { parseSealedRecord } from '../crypto/records/record.js';
import { isCryptoError } from '../crypto/primitives/errors.js';
import type { CertifiedMember } from '../crypto/trust/certificate.js';
import type { MemberSigner } from '../crypto/trust/signatures.js';
import type { ErrorCode } from '../errors/codes.js';

/** What a record holds once opened. Structured fields are strings keyed by `compartmentFields` names. */
export type RecordContent = { kind: 'fields'; fields: Record<string, string> } | { kind: 'note'; text: string } | { kind: 'task'; title: string };

const maxFieldLength = 20_000;
const maxNoteLength = 200_000;

/** The searchable words of a record: what its blind tokens are made of. */
export function searchableText(content: RecordContent): string {
  switch (content.kind) {
    case 'fields':
      return Object.values(content.fields).join('\n');
    case 'note':
      return content.text;
    case 'task':
      return content.title;
  }
}

function checkContent(value: unknown, kind: RecordKind): RecordContent | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  if (o.v !== 1 || o.kind !== kind) return null;
  if (kind === 'note' && typeof o.text === 'string' && o.text.length <= maxNoteLength && Object.keys(o).length === 3) return { kind, text: o.text };
  if (kind === 'task' && typeof o.title === 'string' && o.title.length <= maxFieldLength && Object.keys(o).length === 3) return { kind, title: o.title };
  if (kind === 'fields' && typeof o.fields === 'object' && o.fields !== null && !Array.isArray(o.fields) && Object.keys(o).length === 3) {
    const entries = Object.entries(o.fields as Record<string, unknown>);
    if (entries.length > 100 || entries.some(([k, v]) => typeof v !== 'string' || v.length > maxFieldLength || k.length > 64)) return null;
    return { kind, fields: Object.fromEntries(entries) as Record<string, string> };
  }
  return null;
}

export interface PrepareRecordProps {
  caseId: CaseId;
  compartment: CaseCompartmentName;
  recordId: RecordId;
  /** 0 for a new record, the stored version + 1 for an edit (the server refuses anything else as a conflict). */
  version: number;
  keyring: CompartmentKeyring;
  signer: MemberSigner;
  content: RecordContent;
}

/** A record sealed with the compartment's current epoch, signed, with its blind tokens. */
export function prepareRecord(props: PrepareRecordProps): WriteRecordRequest {
  const key = currentCompartmentKey(props.keyring);
  const reference = { caseId: props.caseId, compartment: props.compartment, recordId: props.recordId, version: props.version, epoch: key.reference.epoch };
  const body = { v: 1, ...props.content };
  if (!checkContent(body, props.content.kind)) throw new RangeError('record content has the wrong shape or is too long');
  const sealed = sealJsonRecord(reference, body, deriveRecordKey(key), props.signer);
  return { kind: props.content.kind, sealed, tokens: blindTokens(deriveSearchKey(key), searchableText(props.content)) };
}

export type OpenedRecord = { ok: true; content: RecordContent; verified: true } | { ok: false; problem: ErrorCode; verified: false };

/**
 * Opens one stored version. The author's certificate must verify (the
 * caller's lookup); a record whose signature or seal fails is not shown.
 */
export function openStoredRecord(props: {
  stored: StoredRecord;
  caseId: CaseId;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  author: CertifiedMember | null;
}): OpenedRecord {
  const { stored, keyring } = props;
  if (!props.author) return { ok: false, problem: 'CERTIFICATE_INVALID', verified: false };
  try {
    const sealed = parseSealedRecord(stored.sealed);
    const key = compartmentKeyForEpoch(keyring, stored.epoch);
    const expected = {
      caseId: props.caseId,
      compartment: props.compartment,
      recordId: stored.recordId as RecordId,
      version: stored.version,
      epoch: stored.epoch,
    };
    if (sealed.author !== stored.authorId) return { ok: false, problem: 'RECORD_BAD_SIGNATURE', verified: false };
    const value = openJsonRecord(sealed, deriveRecordKey(key), expected, props.author);
    const content = checkContent(value, stored.kind);
    if (!content) return { ok: false, problem: 'RECORD_MALFORMED', verified: false };
    return { ok: true, content, verified: true };
  } catch (error) {
    if (isCryptoError(error)) return { ok: false, problem: error.code, verified: false };
    throw error;
  }
}
