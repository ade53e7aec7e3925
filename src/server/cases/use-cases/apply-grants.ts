import { ClearingError, type CaseId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** One compartment key for one member, as the browser prepared it: a signed grant statement and the sealed key. */
export interface PreparedGrant {
  statement: unknown;
  sealedKey: unknown;
}

/**
 * Applies the grants that come with an assignment, an escalation or a
 * handover, inside the caller's transaction, so the move and the keys land
 * together or not at all. Each grant is validated and stored by the grant
 * use case's `applyGrant` (src/server/cases/use-cases/grant-compartment.ts).
 */
export async function applyGrants(tx: Executor, props: { actorId: MemberId; caseId: CaseId; grants: readonly PreparedGrant[] }): Promise<number> {
  if (props.grants.length === 0) return 0;
  // Until applyGrant is merged from main, grants cannot be checked, so none is accepted.
  void tx;
  throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, detail: 'grants are not accepted yet' });
}
