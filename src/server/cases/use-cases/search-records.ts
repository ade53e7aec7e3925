import type { SearchHit, SearchRequest } from '../../../core/api/cases.js';
import { ClearingError, type CaseCompartmentName, type MemberId } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { findRecordsByTokens, listPendingRotationsFor } from '../repository/index.js';
import { storedRecordOf } from './list-records.js';

const maxTokens = 40_000;

/**
 * Which records of the compartments the actor holds carry a token of every
 * group: the server sees keyed hashes and answers with ciphertext; the
 * browser decrypts, checks and ranks (docs/security.md).
 */
export async function searchRecords(database: Database, props: { actorId: MemberId; request: SearchRequest }): Promise<{ hits: SearchHit[]; more: boolean }> {
  const { groups } = props.request;
  if (groups.reduce((n, g) => n + g.length, 0) > maxTokens) throw new ClearingError('SEARCH_TOO_BROAD', { status: 400 });
  const limit = props.request.limit ?? 50;
  const rows = await findRecordsByTokens(database.db, props.actorId, groups, limit + 1);
  return {
    hits: rows.slice(0, limit).map((r) => ({ caseId: r.caseId, code: r.code, compartment: r.compartment as CaseCompartmentName, record: storedRecordOf(r) })),
    more: rows.length > limit,
  };
}

/** Compartments waiting for a rotation that the actor can do. */
export async function listPendingRotations(database: Database, props: { actorId: MemberId }) {
  return (await listPendingRotationsFor(database.db, props.actorId)).map((r) => ({
    caseId: r.caseId,
    code: r.code,
    compartment: r.compartment as CaseCompartmentName,
  }));
}
