import type { GrantRequest } from '../../../core/api/cases.js';
import { asCaseId, ClearingError, mayHoldCompartment, type CaseCategory, type CaseId, type MemberId, type Role } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import type { Executor } from '../../db/executor.js';
import { insertGrants, listPendingRemovals, touchCase } from '../repository/index.js';
import { activeCertified, appendCheckedStatement, lockCaseOrFail, refuseClosed } from './chain-check.js';
import { checkSealedKeys } from './sealed-keys.js';

export interface ApplyGrantProps {
  actorId: MemberId;
  caseId: CaseId;
  statement: unknown;
  sealedKey: unknown;
}

/**
 * One grant inside the caller's transaction (granting, escalating, handing
 * over): the chain statement, checked to continue the chain and to come from
 * a holder; the recipient, an active certified member the compartment policy
 * allows; the sealed key, for the current epoch, signed by the actor. Lock
 * the case row first (lockCaseOrFail). Returns the compartment and recipient.
 */
export async function applyGrant(tx: Executor, props: ApplyGrantProps): Promise<{ compartment: string; memberId: string }> {
  const caseId = asCaseId(props.caseId);
  const row = await lockCaseOrFail(tx, caseId);
  const { statement, audited, keys } = await appendCheckedStatement(tx, caseId, props.actorId, props.statement);
  const body = statement.body;
  if (body.kind !== 'grant') throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'not a grant' } });
  const recipient = activeCertified(keys, body.member);
  if (!recipient || !mayHoldCompartment(row.category as CaseCategory, body.compartment, recipient.role as Role)) {
    throw new ClearingError('CASE_MEMBER_NOT_ELIGIBLE', { status: 400 });
  }
  if ((await listPendingRemovals(tx, caseId, body.compartment)).length > 0) throw new ClearingError('CASE_ROTATION_PENDING', { status: 409 });
  const epoch = audited.compartments[body.compartment].epoch;
  const [sealed] = checkSealedKeys(
    [props.sealedKey],
    { caseId, compartment: body.compartment, epoch, publicKey: body.publicKey, holders: [body.member], grantedBy: props.actorId },
    keys,
  );
  await insertGrants(tx, [{ caseId, compartment: body.compartment, epoch, memberId: body.member as MemberId, sealedKey: sealed, grantedBy: props.actorId }]);
  await touchCase(tx, caseId);
  await appendAuditEntry(tx, {
    action: 'case.granted',
    actorId: props.actorId,
    subjectId: caseId,
    detail: { compartment: body.compartment, epoch, member: body.member },
  });
  return { compartment: body.compartment, memberId: body.member };
}

/** POST /api/cases/:caseId/grants: a holder lets one more member into a compartment. */
export async function grantCompartment(database: Database, props: { actorId: MemberId; caseId: CaseId; request: GrantRequest }) {
  return database.db.transaction().execute(async (tx) => {
    refuseClosed(await lockCaseOrFail(tx, asCaseId(props.caseId)));
    return applyGrant(tx, { actorId: props.actorId, caseId: props.caseId, statement: props.request.statement, sealedKey: props.request.sealedKey });
  });
}
