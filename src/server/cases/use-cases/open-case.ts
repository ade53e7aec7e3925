import type { OpenCaseRequest } from '../../../core/api/cases.js';
import {
  asCaseId,
  ClearingError,
  isCaseCode,
  mayHoldCompartment,
  type CaseCategory,
  type CaseCompartmentName,
  type MemberId,
  type Role,
} from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import { findCaseIdByCode, findMemberKeys, insertCase, insertCompartment, insertEpoch, insertGrants } from '../repository/index.js';
import { activeCertified, appendCheckedStatement } from './chain-check.js';
import { checkSealedKeys } from './sealed-keys.js';

export interface OpenCaseProps {
  actorId: MemberId;
  request: OpenCaseRequest;
}

const ownerRoles: readonly Role[] = ['administrator', 'coordinator', 'specialist'];

/**
 * Stores a case opened in a browser: its metadata, its compartments at epoch
 * 0, the sealed keys and the chain's first statement, in one transaction.
 * Every holder the statement names must be an active, certified member the
 * compartment policy allows, and get exactly one key signed by the opener.
 */
export async function openCase(database: Database, props: OpenCaseProps): Promise<{ caseId: string; code: string }> {
  const { actorId, request } = props;
  const caseId = asCaseId(request.caseId);
  if (!isCaseCode(request.code)) throw new ClearingError('VALIDATION_FAILED', { status: 400, params: { field: 'code' } });
  return database.db.transaction().execute(async (tx) => {
    if (await findCaseIdByCode(tx, request.code)) throw new ClearingError('CASE_CODE_TAKEN', { status: 409 });
    const inserted = await insertCase(tx, {
      id: caseId,
      code: request.code,
      category: request.category,
      priority: request.priority,
      ownerId: (request.ownerId as MemberId | null) ?? null,
      createdBy: actorId,
    });
    if (!inserted) throw new ClearingError('CASE_CODE_TAKEN', { status: 409 });
    const { statement, keys } = await appendCheckedStatement(tx, caseId, actorId, request.statement);
    const body = statement.body;
    if (body.kind !== 'open' || body.code !== request.code || body.category !== request.category) {
      throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'not this case' } });
    }
    if (request.ownerId !== null) {
      const owner = activeCertified(keys, request.ownerId) ?? activeCertified(await findMemberKeys(tx, [request.ownerId]), request.ownerId);
      if (!owner || !ownerRoles.includes(owner.role as Role)) throw new ClearingError('CASE_OWNER_INVALID', { status: 400 });
    }
    const grants = [];
    let sealedCount = 0;
    for (const c of body.compartments) {
      for (const id of c.holders) {
        const member = activeCertified(keys, id);
        if (!member || !mayHoldCompartment(request.category as CaseCategory, c.compartment, member.role as Role)) {
          throw new ClearingError('CASE_MEMBER_NOT_ELIGIBLE', { status: 400 });
        }
      }
      const mine = request.sealedKeys.filter((s) => (s as { compartment?: unknown }).compartment === c.compartment);
      sealedCount += mine.length;
      const sealed = checkSealedKeys(
        mine,
        { caseId, compartment: c.compartment, epoch: 0, publicKey: c.publicKey, holders: c.holders, grantedBy: actorId },
        keys,
      );
      await insertCompartment(tx, caseId, c.compartment as CaseCompartmentName);
      await insertEpoch(tx, { caseId, compartment: c.compartment, epoch: 0, publicKey: c.publicKey, link: null, createdBy: actorId });
      for (const s of sealed) grants.push({ caseId, compartment: c.compartment, epoch: 0, memberId: s.recipient, sealedKey: s, grantedBy: actorId });
    }
    if (sealedCount !== request.sealedKeys.length) throw new ClearingError('SEALED_KEY_REJECTED', { status: 400, params: { reason: 'does not fit' } });
    await insertGrants(tx, grants);
    await appendAuditEntry(tx, { action: 'case.opened', actorId, subjectId: caseId, detail: { category: request.category, holders: grants.length } });
    return { caseId, code: request.code };
  });
}
