import type { StoredRecord } from '../../../core/api/cases.js';
import { asCaseId, asRecordId, ClearingError, type CaseCompartmentName, type CaseId, type MemberId, type RecordKind } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { listCurrentRecords, listMyCurrentKeys, listRecordVersions, type RecordVersionRow } from '../repository/index.js';

const maxRecords = 2000;

export function storedRecordOf(row: RecordVersionRow): StoredRecord {
  return {
    recordId: row.recordId,
    kind: row.kind as RecordKind,
    version: row.version,
    epoch: row.epoch,
    authorId: row.authorId,
    createdAt: row.createdAt.toISOString(),
    sealed: row.sealed as StoredRecord['sealed'],
  };
}

/** The key is the first wall; this is the second: no ciphertext of a compartment to anyone who does not hold it now. */
async function assertHolds(database: Database, caseId: CaseId, memberId: MemberId, compartment: string): Promise<void> {
  const held = await listMyCurrentKeys(database.db, caseId, memberId);
  if (!held.some((k) => k.compartment === compartment)) throw new ClearingError('CASE_NOT_HOLDER', { status: 403 });
}

/** The newest version of each record of a compartment the actor holds. */
export async function listRecords(database: Database, props: { actorId: MemberId; caseId: CaseId; compartment: CaseCompartmentName }): Promise<StoredRecord[]> {
  const caseId = asCaseId(props.caseId);
  await assertHolds(database, caseId, props.actorId, props.compartment);
  return (await listCurrentRecords(database.db, caseId, props.compartment, maxRecords)).map(storedRecordOf);
}

/** Every version of one record, newest first. */
export async function readRecordHistory(database: Database, props: { actorId: MemberId; caseId: CaseId; recordId: string }): Promise<StoredRecord[]> {
  const caseId = asCaseId(props.caseId);
  const versions = await listRecordVersions(database.db, caseId, asRecordId(props.recordId));
  const first = versions[0];
  if (!first) throw new ClearingError('RECORD_NOT_FOUND', { status: 404 });
  await assertHolds(database, caseId, props.actorId, first.compartment);
  return versions.map(storedRecordOf);
}
