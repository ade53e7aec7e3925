import { ClearingError, decide, type Action, type CaseAccessRecord, type CaseId, type MemberId, type Role } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { findMemberById, type MemberRow } from '../../members/repository/index.js';
import { findCaseAccessRecord } from '../repository/access-records.js';
import { lockCaseWorkflow, type CaseWorkflowRow } from '../repository/case-workflow.js';

/**
 * The second wall of the workflow use cases, inside their transaction:
 * the case exists, the actor is an active, certified member whom the case
 * policy (src/core/policies/case.ts) lets do this, and the case is open.
 * Over HTTP the authorization hook has already decided the same; from the
 * CLI or a test these are the only checks.
 */

/** Roles that may own a case or be escalated to (the role table's casekeepers). */
export const casekeeperRoles: readonly Role[] = ['administrator', 'coordinator', 'specialist'];

/** Locks the case; a missing one is CASE_NOT_FOUND. */
export async function lockCase(tx: Executor, caseId: CaseId): Promise<CaseWorkflowRow> {
  const row = await lockCaseWorkflow(tx, caseId);
  if (!row) throw new ClearingError('CASE_NOT_FOUND', { status: 404 });
  return row;
}

/** Refuses a change to a closed case (only reopening touches one). */
export function assertOpen(row: CaseWorkflowRow): void {
  if (row.status === 'closed') throw new ClearingError('CASE_CLOSED', { status: 409 });
}

/** An active member with certified keys, or null. */
export async function activeCertifiedMember(tx: Executor, memberId: MemberId): Promise<MemberRow | null> {
  const member = await findMemberById(tx, memberId);
  return member && member.status === 'active' && member.certificate !== null ? member : null;
}

/**
 * The actor as the case policy sees them, asked for `action` on the case.
 * A case they are not involved in is answered as absent (CASE_NOT_FOUND),
 * as the hook does.
 */
export async function authorizeOnCase(
  tx: Executor,
  actorId: MemberId,
  caseId: CaseId,
  action: Action,
): Promise<{ actor: MemberRow; record: CaseAccessRecord }> {
  const actor = await activeCertifiedMember(tx, actorId);
  if (!actor) throw new ClearingError('FORBIDDEN', { status: 403 });
  const record = await findCaseAccessRecord(tx, caseId, actorId);
  const decision = decide(action, { id: actor.id, role: actor.role, certified: true, stage: 'full' }, record);
  if (record === null || (!decision.allowed && decision.reason === 'not_found')) throw new ClearingError('CASE_NOT_FOUND', { status: 404 });
  if (!decision.allowed) throw new ClearingError('FORBIDDEN', { status: 403 });
  return { actor, record };
}

/** Locks the case, then authorizes: the usual opening of a workflow use case. */
export async function openCaseFor(
  tx: Executor,
  actorId: MemberId,
  caseId: CaseId,
  action: Action,
): Promise<{ row: CaseWorkflowRow; actor: MemberRow; record: CaseAccessRecord }> {
  const row = await lockCase(tx, caseId);
  const { actor, record } = await authorizeOnCase(tx, actorId, caseId, action);
  return { row, actor, record };
}

/** A member who may own a case or be escalated to: active, certified, a casekeeper role; otherwise `code`. */
export async function eligibleCasekeeper(tx: Executor, memberId: MemberId, code: 'CASE_OWNER_INVALID' | 'CASE_SPECIALIST_INVALID'): Promise<MemberRow> {
  const member = await activeCertifiedMember(tx, memberId);
  if (!member || !casekeeperRoles.includes(member.role)) throw new ClearingError(code, { status: 409 });
  return member;
}
