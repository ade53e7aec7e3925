import { ClearingError, type CaseId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { applyGrant } from './grant-compartment.js';

/** One compartment key for one member, as the browser prepared it: a signed grant statement and the sealed key. */
export interface PreparedGrant {
  statement: unknown;
  sealedKey: unknown;
}

/**
 * Applies the grants that come with an assignment, an escalation or a
 * handover, inside the caller's transaction, so the move and the keys land
 * together or not at all. Each grant is checked and stored by the grant use
 * case's `applyGrant`, and must be for `recipient` (the new owner, the
 * specialist): a grant to anyone else does not ride along with a move.
 */
export async function applyGrants(
  tx: Executor,
  props: { actorId: MemberId; caseId: CaseId; recipient: MemberId; grants: readonly PreparedGrant[] },
): Promise<number> {
  for (const grant of props.grants) {
    const applied = await applyGrant(tx, { actorId: props.actorId, caseId: props.caseId, statement: grant.statement, sealedKey: grant.sealedKey });
    if (applied.memberId !== props.recipient) {
      throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'the grant is for another member' } });
    }
  }
  return props.grants.length;
}
