import type { CaseId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** The case's chain of signed statements, in order. */
export async function listStatements(db: Executor, caseId: CaseId): Promise<unknown[]> {
  const rows = await db.selectFrom('case_statements').select('statement').where('case_id', '=', caseId).orderBy('seq').execute();
  return rows.map((r) => r.statement);
}

/**
 * Appends one statement at `seq`; false when another request took that
 * place first (the primary key decides: two concurrent grants never both land).
 */
export async function appendStatement(db: Executor, caseId: CaseId, seq: number, statement: unknown): Promise<boolean> {
  const row = await db
    .insertInto('case_statements')
    .values({ case_id: caseId, seq, statement: JSON.stringify(statement) })
    .onConflict((oc) => oc.doNothing())
    .returning('seq')
    .executeTakeFirst();
  return row !== undefined;
}
