/*
 * Records of one compartment as the page works with them: opened with the
 * compartment's keyring and checked (the author's signature, the author's
 * certificate), and written as new versions that the server refuses when
 * someone else wrote first (RECORD_CONFLICT): then the page shows both and
 * the person decides; nothing is ever overwritten silently.
 */
import {
  openStoredRecord,
  prepareRecord,
  type CaseCompartmentName,
  type CompartmentKeyring,
  type RecordKind,
  type StoredRecord,
} from '../../../core/index.js';
import { toApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { signerOf, type CertifiedLookup, type Me } from './case-keys.js';

export type RecordContent = { kind: 'fields'; fields: Record<string, string> } | { kind: 'note'; text: string } | { kind: 'task'; title: string };

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

export function openRecord(stored: StoredRecord, keyring: CompartmentKeyring, certified: CertifiedLookup): OpenedRecord {
  const author = certified(stored.authorId);
  const base = { stored, authorCertified: author !== null, authorName: author?.name ?? null };
  try {
    const opened = openStoredRecord({ stored, keyring, author });
    return {
      ...base,
      content: opened.content as RecordContent,
      verified: opened.verified && author !== null,
      problem: opened.problem ?? (author ? null : 'CERTIFICATE_INVALID'),
    };
  } catch (error) {
    return { ...base, content: null, verified: false, problem: toApiError(error).code };
  }
}

/** The newest first; tasks belong to the tasks tab. */
export function openRecords(stored: readonly StoredRecord[], keyring: CompartmentKeyring, certified: CertifiedLookup): OpenedRecord[] {
  return stored
    .filter((r) => r.kind !== 'task')
    .map((r) => openRecord(r, keyring, certified))
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
  const body = prepareRecord({
    caseId: target.caseId,
    compartment: target.compartment,
    kind: record.kind,
    recordId: record.recordId,
    version: record.version,
    keyring: target.keyring,
    signer: signerOf(target.me),
    content,
  } as Parameters<typeof prepareRecord>[0]);
  try {
    await api.cases.writeRecord(target.caseId, body);
    return { state: 'saved' };
  } catch (error) {
    if (toApiError(error).code !== 'RECORD_CONFLICT') throw error;
    const now = await api.cases.records(target.caseId, target.compartment);
    const theirs = now.records.find((r) => r.recordId === record.recordId);
    return { state: 'conflict', theirs: theirs ? openRecord(theirs, target.keyring, certified) : null };
  }
}
