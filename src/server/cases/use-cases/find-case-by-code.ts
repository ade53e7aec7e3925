import { ClearingError, decideOnCase, normalizeCaseCode, asCaseId, type PolicyActor } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findCaseAccessRecord, findCaseIdByCode } from '../repository/index.js';

/** A case's id from its code, for a member who may read it; the same answer for an unknown code as for a case they are not in. */
export async function findCaseByCode(database: Database, props: { actor: PolicyActor; code: string }): Promise<{ caseId: string; code: string }> {
  const code = normalizeCaseCode(props.code);
  const id = code ? await findCaseIdByCode(database.db, code) : null;
  const access = id ? await findCaseAccessRecord(database.db, asCaseId(id), props.actor.id) : null;
  if (!id || !code || decideOnCase('case.read', props.actor, access) !== null) throw new ClearingError('CASE_NOT_FOUND', { status: 404 });
  return { caseId: id, code };
}
