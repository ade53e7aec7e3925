import { asMemberId, type CaseCompartmentName, type CaseId, type MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/**
 * Who holds a compartment of a case now, for the workflow: a current grant,
 * no pending removal, an active member. (Grants themselves are written by
 * the grant and rotation use cases, ./compartments.ts.)
 */
export async function listActiveHolders(db: Executor, caseId: CaseId, compartment: CaseCompartmentName): Promise<MemberId[]> {
  const rows = await db
    .selectFrom('compartment_grants as g')
    .innerJoin('members as m', 'm.id', 'g.member_id')
    .select('g.member_id')
    .distinct()
    .where('g.case_id', '=', caseId)
    .where('g.compartment', '=', compartment)
    .where('g.current', '=', true)
    .where('m.status', '=', 'active')
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('pending_rotations as p')
            .select('p.member_id')
            .whereRef('p.case_id', '=', 'g.case_id')
            .whereRef('p.compartment', '=', 'g.compartment')
            .whereRef('p.member_id', '=', 'g.member_id'),
        ),
      ),
    )
    .orderBy('g.member_id')
    .execute();
  return rows.map((r) => asMemberId(r.member_id));
}
