/*
 * Records of one compartment as the page works with them: opened with the
 * compartment's keyring and checked (the author's signature, the author's
 * certificate), and written as new versions that the server refuses when
 * someone else wrote first (RECORD_CONFLICT): then the page shows both and
 * the person decides; nothing is ever overwritten silently.
 */
import {
  asCaseId,
  asRecordId,
  openStoredRecord,
  prepareRecord,
  type CaseCompartmentName,
  type CompartmentKeyring,
  type RecordContent,
  type RecordKind,
} from '../../../core/index.js';
import type { StoredRecord } from '../../../core/api/index.js';
import { toApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { signerOf, type CertifiedLookup, type Me } from './case-keys.js';

export type { RecordContent };

export interface OpenedRecord {
  stored: StoredRecord;
  /** Null when the record does not open (a wrong key, damaged ciphertext). */
  content: RecordContent | null;
  /** The signature verifies under a certificate the pinned organization key vouches for. */
  verified: boolean;
  authorCertified: boolean;
  authorName: string | null;
  problem: string | null;
}

export function openRecord(
  stored: StoredRecord,
  where: { caseId: string; compartment: CaseCompartmentName },
  keyring: CompartmentKeyring,
  certified: CertifiedLookup,
): OpenedRecord {
  const author = certified(stored.authorId);
  const base = { stored, authorCertified: author !== null, authorName: author?.name ?? null };
  try {
    const opened = openStoredRecord({ stored, caseId: asCaseId(where.caseId), compartment: where.compartment, keyring, author });
    return opened.ok
      ? { ...base, content: opened.content, verified: true, problem: null }
      : { ...base, content: null, verified: false, problem: opened.problem };
  } catch (error) {
    return { ...base, content: null, verified: false, problem: toApiError(error).code };
  }
}

/** The newest first; tasks belong to the tasks tab. */
export function openRecords(
  stored: readonly StoredRecord[],
  where: { caseId: string; compartment: CaseCompartmentName },
  keyring: CompartmentKeyring,
  certified: CertifiedLookup,
): OpenedRecord[] {
  return stored
    .filter((r) => r.kind !== 'task')
    .map((r) => openRecord(r, where, keyring, certified))
    .sort((a, b) => b.stored.createdAt.localeCompare(a.stored.createdAt));
}

export interface WriteTarget {
  caseId: string;
  compartment: CaseCompartmentName;
  keyring: CompartmentKeyring;
  me: Me;
}

export type WriteResult = { state: 'saved' } | { state: 'conflict'; theirs: OpenedRecord | null };

/** Writes `content` as version `version` of the record; on a conflict, reads the version that is there now. */
export async function writeRecord(
  target: WriteTarget,
  record: { recordId: string; version: number; kind: RecordKind },
  content: RecordContent,
  certified: CertifiedLookup,
): Promise<WriteResult> {
  if (content.kind !== record.kind) throw new RangeError('content of another kind');
  const body = prepareRecord({
    caseId: asCaseId(target.caseId),
    compartment: target.compartment,
    recordId: asRecordId(record.recordId),
    version: record.version,
    keyring: target.keyring,
    signer: signerOf(target.me),
    content,
  });
  try {
    await api.cases.writeRecord(target.caseId, body);
    return { state: 'saved' };
  } catch (error) {
    if (toApiError(error).code !== 'RECORD_CONFLICT') throw error;
    const now = await api.cases.records(target.caseId, target.compartment);
    const theirs = now.find((r) => r.recordId === record.recordId);
    return { state: 'conflict', theirs: theirs ? openRecord(theirs, target, target.keyring, certified) : null };
  }
}
