import { sql } from 'kysely';
import type { CaseCompartmentName, CaseId, MemberId, RecordId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

export interface RecordVersionRow {
  recordId: string;
  kind: string;
  version: number;
  epoch: number;
  authorId: string;
  createdAt: Date;
  sealed: unknown;
}

export interface RecordHeadRow {
  id: string;
  caseId: string;
  compartment: string;
  kind: string;
  version: number;
}

export async function lockRecordHead(db: Executor, id: RecordId): Promise<RecordHeadRow | null> {
  const row = await db
    .selectFrom('record_heads')
    .select(['id', 'case_id', 'compartment', 'kind', 'version'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row ? { id: row.id, caseId: row.case_id, compartment: row.compartment, kind: row.kind, version: row.version } : null;
}

/** A new record's head; false when the id is taken (a concurrent first save, or a replay). */
export async function insertRecordHead(db: Executor, head: { id: RecordId; caseId: CaseId; compartment: CaseCompartmentName; kind: string }): Promise<boolean> {
  const row = await db
    .insertInto('record_heads')
    .values({ id: head.id, case_id: head.caseId, compartment: head.compartment, kind: head.kind, version: 0 })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Moves the head from `from` to `from + 1` only if nobody moved it first: optimistic concurrency in one statement. */
export async function advanceRecordHead(db: Executor, id: RecordId, from: number): Promise<boolean> {
  const row = await db
    .updateTable('record_heads')
    .set({ version: from + 1, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', from)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertRecordVersion(
  db: Executor,
  row: { id: RecordId; version: number; caseId: CaseId; compartment: CaseCompartmentName; kind: string; epoch: number; authorId: MemberId; sealed: unknown },
): Promise<void> {
  await db
    .insertInto('case_records')
    .values({
      id: row.id,
      version: row.version,
      case_id: row.caseId,
      compartment: row.compartment,
      kind: row.kind,
      epoch: row.epoch,
      author_id: row.authorId,
      sealed: JSON.stringify(row.sealed),
    })
    .execute();
}

/** The blind tokens of a record's newest version replace those of the one before. */
export async function replaceRecordTokens(db: Executor, recordId: RecordId, caseId: CaseId, tokens: readonly string[]): Promise<void> {
  await db.deleteFrom('record_tokens').where('record_id', '=', recordId).execute();
  const unique = [...new Set(tokens)];
  for (let i = 0; i < unique.length; i += 1000) {
    await db
      .insertInto('record_tokens')
      .values(unique.slice(i, i + 1000).map((token) => ({ token, record_id: recordId, case_id: caseId })))
      .execute();
  }
}

function toVersion(r: { id: string; kind: string; version: number; epoch: number; author_id: string; created_at: Date; sealed: unknown }): RecordVersionRow {
  return { recordId: r.id, kind: r.kind, version: r.version, epoch: r.epoch, authorId: r.author_id, createdAt: r.created_at, sealed: r.sealed };
}

/** The newest version of every record of one compartment. */
export async function listCurrentRecords(db: Executor, caseId: CaseId, compartment: CaseCompartmentName, limit: number): Promise<RecordVersionRow[]> {
  const rows = await db
    .selectFrom('record_heads as h')
    .innerJoin('case_records as r', (j) => j.onRef('r.id', '=', 'h.id').onRef('r.version', '=', 'h.version'))
    .select(['r.id', 'r.kind', 'r.version', 'r.epoch', 'r.author_id', 'r.created_at', 'r.sealed'])
    .where('h.case_id', '=', caseId)
    .where('h.compartment', '=', compartment)
    .orderBy('h.updated_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toVersion);
}

export async function listRecordVersions(db: Executor, caseId: CaseId, recordId: RecordId): Promise<(RecordVersionRow & { compartment: string })[]> {
  const rows = await db
    .selectFrom('case_records')
    .select(['id', 'kind', 'version', 'epoch', 'author_id', 'created_at', 'sealed', 'compartment'])
    .where('case_id', '=', caseId)
    .where('id', '=', recordId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ ...toVersion(r), compartment: r.compartment }));
}

export interface SearchHitRow extends RecordVersionRow {
  caseId: string;
  code: string;
  compartment: string;
}

/**
 * Records carrying a token of every group, among the compartments the member
 * holds now; newest activity first. The server learns which records match,
 * never the words (docs/security.md).
 */
export async function findRecordsByTokens(db: Executor, memberId: MemberId, groups: readonly (readonly string[])[], limit: number): Promise<SearchHitRow[]> {
  const tokens: string[] = [];
  const indexes: number[] = [];
  groups.forEach((group, i) => {
    for (const token of new Set(group)) {
      tokens.push(token);
      indexes.push(i);
    }
  });
  const result = await sql<{
    id: string;
    kind: string;
    version: number;
    epoch: number;
    author_id: string;
    created_at: Date;
    sealed: unknown;
    case_id: string;
    code: string;
    compartment: string;
  }>`
    WITH q AS (SELECT * FROM unnest(${tokens}::text[], ${indexes}::int[]) AS q(token, g)),
    matched AS (
      SELECT t.record_id
      FROM record_tokens t JOIN q ON q.token = t.token
      GROUP BY t.record_id
      HAVING count(DISTINCT q.g) = ${groups.length}
    )
    SELECT r.id, r.kind, r.version, r.epoch, r.author_id, r.created_at, r.sealed, r.case_id, c.code, r.compartment
    FROM matched m
    JOIN record_heads h ON h.id = m.record_id
    JOIN case_records r ON r.id = h.id AND r.version = h.version
    JOIN cases c ON c.id = h.case_id
    WHERE EXISTS (
      SELECT 1 FROM compartment_grants g
      WHERE g.case_id = h.case_id AND g.compartment = h.compartment AND g.member_id = ${memberId} AND g.current
        AND NOT EXISTS (SELECT 1 FROM pending_rotations p WHERE p.case_id = g.case_id AND p.compartment = g.compartment AND p.member_id = g.member_id)
    )
    ORDER BY h.updated_at DESC, h.id
    LIMIT ${limit}
  `.execute(db);
  return result.rows.map((r) => ({ ...toVersion(r), caseId: r.case_id, code: r.code, compartment: r.compartment }));
}
