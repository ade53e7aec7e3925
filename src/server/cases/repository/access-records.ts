import { sql } from 'kysely';
import {
  asCaseId,
  asMemberId,
  isCaseStatus,
  isUuid,
  type CaseAccessRecord,
  type CaseCompartmentName,
  type CaseId,
  type MemberId,
} from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/**
 * What the case policy decides from (src/core/policies/case.ts): status,
 * owner, specialists, and the compartments the actor holds now (a current
 * grant with no pending removal of them).
 */
export async function findCaseAccessRecord(db: Executor, caseId: CaseId, actorId: MemberId): Promise<CaseAccessRecord | null> {
  if (!isUuid(caseId)) return null;
  const row = await db
    .selectFrom('cases')
    .select((eb) => [
      'cases.id',
      'cases.status',
      'cases.owner_id',
      eb
        .selectFrom('case_specialists')
        .select(sql<string[]>`coalesce(array_agg(member_id::text), '{}')`.as('ids'))
        .whereRef('case_specialists.case_id', '=', 'cases.id')
        .as('specialist_ids'),
      eb
        .selectFrom('compartment_grants as g')
        .select(sql<string[]>`coalesce(array_agg(g.compartment), '{}')`.as('held'))
        .whereRef('g.case_id', '=', 'cases.id')
        .where('g.member_id', '=', actorId)
        .where('g.current', '=', true)
        .where((w) =>
          w.not(
            w.exists(
              w
                .selectFrom('pending_rotations as p')
                .select('p.member_id')
                .whereRef('p.case_id', '=', 'g.case_id')
                .whereRef('p.compartment', '=', 'g.compartment')
                .whereRef('p.member_id', '=', 'g.member_id'),
            ),
          ),
        )
        .as('held'),
    ])
    .where('cases.id', '=', caseId)
    .executeTakeFirst();
  if (!row || !isCaseStatus(row.status)) return null;
  return {
    kind: 'case',
    id: asCaseId(row.id),
    status: row.status,
    ownerId: row.owner_id ? asMemberId(row.owner_id) : null,
    specialistIds: (row.specialist_ids ?? []).map(asMemberId),
    held: (row.held ?? []) as CaseCompartmentName[],
  };
}
