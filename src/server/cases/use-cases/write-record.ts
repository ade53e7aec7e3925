import type { WriteRecordRequest } from '../../../core/api/cases.js';
import {
  asCaseId,
  asRecordId,
  checkSealedRecordSignature,
  ClearingError,
  decodeEd25519PublicKey,
  isClearingError,
  parseSealedRecord,
  type CaseCompartmentName,
  type CaseId,
  type MemberId,
  type SealedRecord,
} from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import {
  advanceRecordHead,
  findMemberKeys,
  insertRecordHead,
  insertRecordVersion,
  listMyCurrentKeys,
  listPendingRemovals,
  lockCompartment,
  lockRecordHead,
  replaceRecordTokens,
  touchCase,
} from '../repository/index.js';
import { lockCaseOrFail, refuseClosed } from './chain-check.js';

export interface WriteRecordProps {
  actorId: MemberId;
  caseId: CaseId;
  request: WriteRecordRequest;
}

function parse(input: unknown): SealedRecord {
  try {
    return parseSealedRecord(input);
  } catch (error) {
    if (isClearingError(error)) throw new ClearingError('RECORD_REJECTED', { status: 400, cause: error, params: { reason: error.code } });
    throw error;
  }
}

/**
 * Stores one version of a record: sealed by the actor with the compartment's
 * current epoch, version 0 for a new record or exactly one more than the
 * stored one (RECORD_CONFLICT otherwise, with the stored version, so two
 * coordinators never overwrite each other), its blind tokens and its audit
 * entry, all in one transaction. Refused while the compartment waits for a
 * rotation (CASE_ROTATION_PENDING), and to anyone who does not hold it now.
 */
export async function writeRecord(database: Database, props: WriteRecordProps): Promise<{ recordId: string; version: number }> {
  const { actorId, request } = props;
  const caseId = asCaseId(props.caseId);
  const sealed = parse(request.sealed);
  if (sealed.caseId !== caseId || sealed.author !== actorId)
    throw new ClearingError('RECORD_REJECTED', { status: 400, params: { reason: 'not this case or author' } });
  const compartment = sealed.compartment as CaseCompartmentName;
  const recordId = asRecordId(sealed.recordId);
  return database.db.transaction().execute(async (tx) => {
    const row = await lockCaseOrFail(tx, caseId);
    refuseClosed(row);
    const state = await lockCompartment(tx, caseId, compartment);
    if (!state) throw new ClearingError('RECORD_REJECTED', { status: 400, params: { reason: 'compartment' } });
    const held = await listMyCurrentKeys(tx, caseId, actorId);
    if (!held.some((k) => k.compartment === compartment)) throw new ClearingError('CASE_NOT_HOLDER', { status: 403 });
    if ((await listPendingRemovals(tx, caseId, compartment)).length > 0) throw new ClearingError('CASE_ROTATION_PENDING', { status: 409 });
    if (sealed.epoch !== state.epoch) throw new ClearingError('RECORD_REJECTED', { status: 400, params: { reason: 'epoch' } });
    const author = (await findMemberKeys(tx, [actorId])).get(actorId);
    if (!author) throw new ClearingError('RECORD_REJECTED', { status: 400 });
    try {
      checkSealedRecordSignature(sealed, decodeEd25519PublicKey(author.signingPublicKey));
    } catch (error) {
      if (isClearingError(error)) throw new ClearingError('RECORD_REJECTED', { status: 400, cause: error, params: { reason: error.code } });
      throw error;
    }
    const head = await lockRecordHead(tx, recordId);
    if (head === null) {
      if (sealed.version !== 0) throw new ClearingError('RECORD_NOT_FOUND', { status: 404 });
      if (!(await insertRecordHead(tx, { id: recordId, caseId, compartment, kind: request.kind }))) {
        throw new ClearingError('RECORD_CONFLICT', { status: 409, params: { currentVersion: 0 } });
      }
    } else {
      if (head.caseId !== caseId || head.compartment !== compartment || head.kind !== request.kind) {
        throw new ClearingError('RECORD_REJECTED', { status: 400, params: { reason: 'another record' } });
      }
      if (sealed.version !== head.version + 1 || !(await advanceRecordHead(tx, recordId, head.version))) {
        throw new ClearingError('RECORD_CONFLICT', { status: 409, params: { currentVersion: head.version } });
      }
    }
    await insertRecordVersion(tx, {
      id: recordId,
      version: sealed.version,
      caseId,
      compartment,
      kind: request.kind,
      epoch: sealed.epoch,
      authorId: actorId,
      sealed,
    });
    await replaceRecordTokens(tx, recordId, caseId, request.tokens);
    await touchCase(tx, caseId);
    await appendAuditEntry(tx, {
      action: 'case.record_written',
      actorId,
      subjectId: caseId,
      detail: { compartment, kind: request.kind, record: recordId, version: sealed.version },
    });
    return { recordId, version: sealed.version };
  });
}
