import type { CaseListQuery, CaseListResponse } from '../../../core/api/cases.js';
import { ClearingError, type CaseFlag, type PolicyActor } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { listCasesFor } from '../repository/index.js';
import { caseSummaryOf } from './case-summary.js';

const defaultLimit = 50;
const maxOffset = 1_000_000;

function offsetOf(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number.parseInt(Buffer.from(cursor, 'base64url').toString('utf8'), 10);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > maxOffset)
    throw new ClearingError('VALIDATION_FAILED', { status: 400, params: { field: 'cursor' } });
  return offset;
}

/** One page of the cases the actor may see, with the total for the filters. */
export async function listCases(database: Database, props: { actor: PolicyActor; query: CaseListQuery }): Promise<CaseListResponse> {
  const { actor, query } = props;
  const offset = offsetOf(query.cursor);
  const limit = query.limit ?? defaultLimit;
  const { rows, total } = await listCasesFor(database.db, { id: actor.id, administrator: actor.role === 'administrator' }, query, offset, limit);
  const next = offset + rows.length;
  return {
    cases: rows.map((r) =>
      caseSummaryOf(r, { specialistIds: r.specialistIds, flags: r.flags as CaseFlag[], overdueTasks: r.overdueTasks, rotationPending: r.rotationPending }),
    ),
    nextCursor: rows.length === limit && next < total ? Buffer.from(String(next)).toString('base64url') : null,
    total,
  };
}
