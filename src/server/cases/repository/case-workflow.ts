import { sql } from 'kysely';
import {
  asCaseId,
  asMemberId,
  isCaseCategory,
  isCaseOutcome,
  isCasePriority,
  isCaseStatus,
  type CaseCategory,
  type CaseId,
  type CaseOutcome,
  type CasePriority,
  type CaseStatus,
  type MemberId,
} from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/**
 * The workflow columns of a case (status, priority, owner, outcome, task
 * summary), locked and changed by the workflow use cases. Opening, reading
 * and listing cases are in ./cases.ts.
 */
export interface CaseWorkflowRow {
  id: CaseId;
  code: string;
  status: CaseStatus;
  category: CaseCategory;
  priority: CasePriority;
  ownerId: MemberId | null;
  outcome: CaseOutcome | null;
  updatedAt: Date;
  closedAt: Date | null;
  openTasks: number;
  nextDueOn: string | null;
}

// A `date` is read as text: the drivers would otherwise make a Date of it at midnight in different zones.
const columns = [
  'id',
  'code',
  'status',
  'category',
  'priority',
  'owner_id',
  'outcome',
  'updated_at',
  'closed_at',
  'open_tasks',
  sql<string | null>`next_due_on::text`.as('next_due_on'),
] as const;

interface Row {
  id: string;
  code: string;
  status: string;
  category: string;
  priority: string;
  owner_id: string | null;
  outcome: string | null;
  updated_at: Date;
  closed_at: Date | null;
  open_tasks: number;
  next_due_on: string | null;
}

function toRow(r: Row): CaseWorkflowRow {
  if (!isCaseStatus(r.status) || !isCaseCategory(r.category) || !isCasePriority(r.priority))
    throw new Error(`case ${r.id} has an unknown status, category or priority`);
  return {
    id: asCaseId(r.id),
    code: r.code,
    status: r.status,
    category: r.category,
    priority: r.priority,
    ownerId: r.owner_id === null ? null : asMemberId(r.owner_id),
    outcome: r.outcome !== null && isCaseOutcome(r.outcome) ? r.outcome : null,
    updatedAt: r.updated_at,
    closedAt: r.closed_at ?? null,
    openTasks: Number(r.open_tasks),
    nextDueOn: r.next_due_on,
  };
}

/** Locks the case's row for the rest of the transaction: every workflow change of one case runs one at a time. */
export async function lockCaseWorkflow(db: Executor, caseId: CaseId): Promise<CaseWorkflowRow | null> {
  const row = await db.selectFrom('cases').select(columns).where('id', '=', caseId).forUpdate().executeTakeFirst();
  return row ? toRow(row as Row) : null;
}

/** Locks several cases in id order (so two batches over the same cases cannot deadlock). */
export async function lockCasesWorkflow(db: Executor, caseIds: readonly CaseId[]): Promise<CaseWorkflowRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select(columns)
    .where('id', 'in', [...caseIds])
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => toRow(r as Row));
}

export interface CaseWorkflowChange {
  status?: CaseStatus;
  priority?: CasePriority;
  ownerId?: MemberId | null;
  outcome?: CaseOutcome | null;
  /** true: now; false: cleared. */
  closed?: boolean;
}

/** Writes the change and marks the case as touched; answers the row as it now is. */
export async function updateCaseWorkflow(db: Executor, caseId: CaseId, change: CaseWorkflowChange): Promise<CaseWorkflowRow> {
  const row = await db
    .updateTable('cases')
    .set({
      ...(change.status === undefined ? {} : { status: change.status }),
      ...(change.priority === undefined ? {} : { priority: change.priority }),
      ...(change.ownerId === undefined ? {} : { owner_id: change.ownerId }),
      ...(change.outcome === undefined ? {} : { outcome: change.outcome }),
      ...(change.closed === undefined ? {} : { closed_at: change.closed ? sql<Date>`now()` : null }),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', caseId)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row as Row);
}

/**
 * Recounts the case's open tasks and its earliest open due day from its
 * tasks. Call with the case locked, after the task change, in the same
 * transaction: the summary is then exact whatever ran concurrently.
 */
export async function refreshTaskSummary(db: Executor, caseId: CaseId): Promise<void> {
  await db
    .updateTable('cases')
    .set((eb) => ({
      open_tasks: eb
        .selectFrom('case_tasks')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('case_tasks.case_id', '=', caseId)
        .where('case_tasks.state', '=', 'open'),
      next_due_on: eb
        .selectFrom('case_tasks')
        .select(sql<string | null>`min(due_on)`.as('d'))
        .where('case_tasks.case_id', '=', caseId)
        .where('case_tasks.state', '=', 'open'),
      updated_at: sql<Date>`now()`,
    }))
    .where('id', '=', caseId)
    .execute();
}

/** Open cases a member owns, oldest code first: what a handover would move. */
export async function listOwnedOpenCases(db: Executor, ownerId: MemberId): Promise<{ caseId: CaseId; code: string; status: CaseStatus }[]> {
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'code', 'status'])
    .where('owner_id', '=', ownerId)
    .where('status', '<>', 'closed')
    .orderBy('code')
    .execute();
  return rows.flatMap((r) => (isCaseStatus(r.status) ? [{ caseId: asCaseId(r.id), code: r.code, status: r.status }] : []));
}
