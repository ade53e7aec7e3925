import { sql } from 'kysely';
import type { CaseId, MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** A case's plaintext metadata, as stored (docs/security.md lists every field). */
export interface CaseRow {
  id: string;
  code: string;
  status: string;
  category: string;
  priority: string;
  ownerId: string | null;
  outcome: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  openTasks: number;
  nextDueOn: string | null;
}

const columns = [
  'id',
  'code',
  'status',
  'category',
  'priority',
  'owner_id',
  'outcome',
  'created_by',
  'created_at',
  'updated_at',
  'closed_at',
  'open_tasks',
  'next_due_on',
] as const;

type Raw = {
  id: string;
  code: string;
  status: string;
  category: string;
  priority: string;
  owner_id: string | null;
  outcome: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  open_tasks: number;
  next_due_on: string | Date | null;
};

export function dayOf(value: string | Date | null): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value.slice(0, 10);
  // A DATE column read as a local-midnight Date: its calendar day, not UTC's.
  const y = value.getFullYear();
  const m = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function toCase(row: Raw): CaseRow {
  return {
    id: row.id,
    code: row.code,
    status: row.status,
    category: row.category,
    priority: row.priority,
    ownerId: row.owner_id,
    outcome: row.outcome,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    openTasks: Number(row.open_tasks),
    nextDueOn: dayOf(row.next_due_on),
  };
}

export async function findCase(db: Executor, id: CaseId): Promise<CaseRow | null> {
  const row = await db.selectFrom('cases').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toCase(row as Raw) : null;
}

/** Locks the case row: every change of its chain, holders or workflow takes this lock first. */
export async function lockCase(db: Executor, id: CaseId): Promise<CaseRow | null> {
  const row = await db.selectFrom('cases').select(columns).where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toCase(row as Raw) : null;
}

export async function findCaseIdByCode(db: Executor, code: string): Promise<string | null> {
  const row = await db.selectFrom('cases').select('id').where('code', '=', code).executeTakeFirst();
  return row?.id ?? null;
}

export async function insertCase(
  db: Executor,
  row: { id: CaseId; code: string; category: string; priority: string; ownerId: MemberId | null; createdBy: MemberId },
): Promise<boolean> {
  const inserted = await db
    .insertInto('cases')
    .values({ id: row.id, code: row.code, category: row.category, priority: row.priority, owner_id: row.ownerId, created_by: row.createdBy })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Last activity: every write to a case moves it. */
export async function touchCase(db: Executor, id: CaseId): Promise<void> {
  await db.updateTable('cases').set({ updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

export async function listSpecialists(db: Executor, caseId: CaseId): Promise<{ memberId: string; kind: string }[]> {
  const rows = await db.selectFrom('case_specialists').select(['member_id', 'kind']).where('case_id', '=', caseId).orderBy('added_at').execute();
  return rows.map((r) => ({ memberId: r.member_id, kind: r.kind }));
}

export async function removeSpecialist(db: Executor, caseId: CaseId, memberId: MemberId): Promise<void> {
  await db.deleteFrom('case_specialists').where('case_id', '=', caseId).where('member_id', '=', memberId).execute();
}

export async function listFlags(db: Executor, caseId: CaseId): Promise<string[]> {
  const rows = await db.selectFrom('case_flags').select('flag').where('case_id', '=', caseId).orderBy('flag').execute();
  return rows.map((r) => r.flag);
}

export async function countOverdueTasks(db: Executor, caseId: CaseId): Promise<number> {
  const row = await db
    .selectFrom('case_tasks')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('case_id', '=', caseId)
    .where('state', '=', 'open')
    .where('due_on', '<', sql<string>`current_date`)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
