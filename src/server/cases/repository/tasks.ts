import { sql } from 'kysely';
import {
  asCaseId,
  asMemberId,
  asRecordId,
  caseCompartments,
  isTaskState,
  type CaseCompartmentName,
  type CaseId,
  type MemberId,
  type RecordId,
  type TaskState,
} from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';

/** Tasks of cases (case_tasks): plaintext state, due day and assignee; the title is a sealed record. */
export interface TaskRow {
  id: string;
  caseId: CaseId;
  recordId: RecordId;
  compartment: CaseCompartmentName;
  assigneeId: MemberId | null;
  /** `YYYY-MM-DD` or null. */
  dueOn: string | null;
  state: TaskState;
  createdBy: MemberId;
  createdAt: Date;
  updatedAt: Date;
}

const columns = [
  'case_tasks.id',
  'case_tasks.case_id',
  'case_tasks.record_id',
  'case_tasks.compartment',
  'case_tasks.assignee_id',
  sql<string | null>`case_tasks.due_on::text`.as('due_on'),
  'case_tasks.state',
  'case_tasks.created_by',
  'case_tasks.created_at',
  'case_tasks.updated_at',
] as const;

interface Row {
  id: string;
  case_id: string;
  record_id: string;
  compartment: string;
  assignee_id: string | null;
  due_on: string | null;
  state: string;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

function toTask(r: Row): TaskRow {
  if (!isTaskState(r.state) || !(caseCompartments as readonly string[]).includes(r.compartment))
    throw new Error(`task ${r.id} has an unknown state or compartment`);
  return {
    id: r.id,
    caseId: asCaseId(r.case_id),
    recordId: asRecordId(r.record_id),
    compartment: r.compartment as CaseCompartmentName,
    assigneeId: r.assignee_id === null ? null : asMemberId(r.assignee_id),
    dueOn: r.due_on,
    state: r.state,
    createdBy: asMemberId(r.created_by),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Whether the case has a record `recordId` of kind `task` in `compartment` (the title the browser wrote first). */
export async function taskRecordExists(db: Executor, caseId: CaseId, recordId: RecordId, compartment: CaseCompartmentName): Promise<boolean> {
  const row = await db
    .selectFrom('record_heads')
    .select('id')
    .where('id', '=', recordId)
    .where('case_id', '=', caseId)
    .where('compartment', '=', compartment)
    .where('kind', '=', 'task')
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts a task; false when its id is taken (by this case or another). */
export async function insertTask(
  db: Executor,
  t: {
    id: string;
    caseId: CaseId;
    recordId: RecordId;
    compartment: CaseCompartmentName;
    assigneeId: MemberId | null;
    dueOn: string | null;
    createdBy: MemberId;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('case_tasks')
    .values({
      id: t.id,
      case_id: t.caseId,
      record_id: t.recordId,
      compartment: t.compartment,
      assignee_id: t.assigneeId,
      due_on: t.dueOn,
      created_by: t.createdBy,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findTask(db: Executor, caseId: CaseId, taskId: string): Promise<TaskRow | null> {
  const row = await db.selectFrom('case_tasks').select(columns).where('case_tasks.id', '=', taskId).where('case_tasks.case_id', '=', caseId).executeTakeFirst();
  return row ? toTask(row as Row) : null;
}

export interface TaskChange {
  state?: TaskState;
  dueOn?: string | null;
  assigneeId?: MemberId | null;
}

/** Applies the change; a new due day may be overdue again, so its overdue notice is re-armed. */
export async function updateTask(db: Executor, caseId: CaseId, taskId: string, change: TaskChange): Promise<TaskRow> {
  const row = await db
    .updateTable('case_tasks')
    .set({
      ...(change.state === undefined ? {} : { state: change.state }),
      ...(change.dueOn === undefined ? {} : { due_on: change.dueOn, overdue_notified_at: null }),
      ...(change.assigneeId === undefined ? {} : { assignee_id: change.assigneeId }),
      updated_at: sql<Date>`now()`,
    })
    .where('case_tasks.id', '=', taskId)
    .where('case_tasks.case_id', '=', caseId)
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toTask(row as Row);
}

/** The case's tasks: open first, then by due day (none last), then by creation. */
export async function listCaseTasks(db: Executor, caseId: CaseId): Promise<TaskRow[]> {
  const rows = await db
    .selectFrom('case_tasks')
    .select(columns)
    .where('case_tasks.case_id', '=', caseId)
    .orderBy(sql`case_tasks.state = 'open'`, 'desc')
    .orderBy(sql`case_tasks.due_on asc nulls last`)
    .orderBy('case_tasks.created_at')
    .orderBy('case_tasks.id')
    .execute();
  return rows.map((r) => toTask(r as Row));
}

/** A member's open tasks across the cases that are not closed, by due day, with each case's code. */
export async function listOpenTasksOf(db: Executor, memberId: MemberId, limit: number): Promise<(TaskRow & { caseCode: string })[]> {
  const rows = await db
    .selectFrom('case_tasks')
    .innerJoin('cases', 'cases.id', 'case_tasks.case_id')
    .select([...columns, 'cases.code as case_code'])
    .where('case_tasks.assignee_id', '=', memberId)
    .where('case_tasks.state', '=', 'open')
    .where('cases.status', '<>', 'closed')
    .orderBy(sql`case_tasks.due_on asc nulls last`)
    .orderBy('case_tasks.created_at')
    .orderBy('case_tasks.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toTask(r as Row), caseCode: r.case_code }));
}

/**
 * Marks every open task of an open case whose day is before `today` and that
 * was not yet reported, and answers them: each is reported once, even with
 * several servers (a concurrent run waits on the row and then finds it marked).
 */
export async function claimOverdueTasks(db: Executor, today: string, limit: number): Promise<{ taskId: string; caseId: CaseId; notifyId: MemberId | null }[]> {
  const result = await sql<{ id: string; case_id: string; notify_id: string | null }>`
    UPDATE case_tasks AS t SET overdue_notified_at = now()
    FROM cases AS c
    WHERE t.id IN (
      SELECT t2.id FROM case_tasks AS t2 JOIN cases AS c2 ON c2.id = t2.case_id
      WHERE t2.state = 'open' AND t2.due_on < ${today}::date AND t2.overdue_notified_at IS NULL AND c2.status <> 'closed'
      ORDER BY t2.due_on, t2.id LIMIT ${limit}
      FOR UPDATE OF t2 SKIP LOCKED
    )
    AND c.id = t.case_id AND t.overdue_notified_at IS NULL
    RETURNING t.id, t.case_id, coalesce(t.assignee_id, c.owner_id) AS notify_id`.execute(db);
  return result.rows.map((r) => ({ taskId: r.id, caseId: asCaseId(r.case_id), notifyId: r.notify_id === null ? null : asMemberId(r.notify_id) }));
}
