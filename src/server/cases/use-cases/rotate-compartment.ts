import type { RotateRequest } from '../../../core/api/cases.js';
import { asCaseId, ClearingError, type CaseId, type MemberId } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import {
  clearPendingRemovals,
  insertEpoch,
  insertGrants,
  listPendingRemovals,
  lockCompartment,
  retireGrants,
  setCurrentEpoch,
  touchCase,
} from '../repository/index.js';
import { activeCertified, appendCheckedStatement, lockCaseOrFail } from './chain-check.js';
import { checkSealedKeys } from './sealed-keys.js';

/**
 * A holder's browser rotated a compartment: a new epoch whose key is sealed
 * to every remaining holder, the previous key linked under it, and the chain
 * statement that drops exactly the members waiting to leave. The epoch, the
 * sealed keys, the chain and the audit entry commit together or not at all.
 */
export async function rotateCompartment(database: Database, props: { actorId: MemberId; caseId: CaseId; request: RotateRequest }): Promise<{ epoch: number }> {
  const caseId = asCaseId(props.caseId);
  const { actorId, request } = props;
  return database.db.transaction().execute(async (tx) => {
    await lockCaseOrFail(tx, caseId);
    const { statement, keys } = await appendCheckedStatement(tx, caseId, actorId, request.statement);
    const body = statement.body;
    if (body.kind !== 'rotate') throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'not a rotation' } });
    const state = await lockCompartment(tx, caseId, body.compartment);
    if (!state || state.epoch + 1 !== body.epoch) throw new ClearingError('CASE_CHAIN_CONFLICT', { status: 409 });
    const leaving = (await listPendingRemovals(tx, caseId, body.compartment)).map((p) => p.memberId);
    const dropped = [...body.dropped];
    if (leaving.length !== dropped.length || leaving.some((id) => !dropped.includes(id as MemberId))) {
      throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'dropped' } });
    }
    for (const id of body.holders) if (!activeCertified(keys, id)) throw new ClearingError('CASE_MEMBER_NOT_ELIGIBLE', { status: 400 });
    const sealed = checkSealedKeys(
      request.sealedKeys,
      { caseId, compartment: body.compartment, epoch: body.epoch, publicKey: body.publicKey, holders: body.holders, grantedBy: actorId },
      keys,
    );
    await insertEpoch(tx, { caseId, compartment: body.compartment, epoch: body.epoch, publicKey: body.publicKey, link: request.link, createdBy: actorId });
    await setCurrentEpoch(tx, caseId, body.compartment, body.epoch);
    await retireGrants(tx, caseId, body.compartment, body.epoch);
    await insertGrants(
      tx,
      sealed.map((s) => ({ caseId, compartment: body.compartment, epoch: body.epoch, memberId: s.recipient, sealedKey: s, grantedBy: actorId })),
    );
    await clearPendingRemovals(tx, caseId, body.compartment);
    await touchCase(tx, caseId);
    await appendAuditEntry(tx, {
      action: 'case.rotated',
      actorId,
      subjectId: caseId,
      detail: { compartment: body.compartment, epoch: body.epoch, dropped: dropped.length, reason: body.reason },
    });
    return { epoch: body.epoch };
  });
}
