import { sql, type SqlBool, type Expression } from 'kysely';
import type { CaseListQuery } from '../../../core/api/cases.js';
import type { MemberId } from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { dayOf } from './cases.js';

export interface CaseListRow {
  id: string;
  code: string;
  status: string;
  category: string;
  priority: string;
  ownerId: string | null;
  specialistIds: string[];
  flags: string[];
  openTasks: number;
  overdueTasks: number;
  nextDueOn: string | null;
  createdAt: Date;
  updatedAt: Date;
  rotationPending: boolean;
}

const sortColumns = {
  updated: sql`c.updated_at`,
  created: sql`c.created_at`,
  code: sql`c.code`,
  status: sql`array_position(ARRAY['new','triage','active','in_transit','arrived','legalizing','closed'], c.status)`,
  priority: sql`array_position(ARRAY['low','normal','high','urgent'], c.priority)`,
  category: sql`c.category`,
  openTasks: sql`c.open_tasks`,
  nextDue: sql`c.next_due_on`,
} as const;

/**
 * One page of the cases a member may see: all of them for an administrator;
 * otherwise those they own, are a specialist on, or hold a compartment of.
 * Filters and sorting on plaintext metadata only. The cursor is an offset:
 * the list is read a page at a time as the member scrolls.
 */
export async function listCasesFor(
  db: Executor,
  actor: { id: MemberId; administrator: boolean },
  query: CaseListQuery,
  offset: number,
  limit: number,
): Promise<{ rows: CaseListRow[]; total: number }> {
  const me = actor.id;
  const conditions: Expression<SqlBool>[] = [];
  if (!actor.administrator) {
    conditions.push(sql<SqlBool>`c.id IN (
      SELECT g.case_id FROM compartment_grants g WHERE g.member_id = ${me} AND g.current
      UNION SELECT s.case_id FROM case_specialists s WHERE s.member_id = ${me}
      UNION SELECT o.id FROM cases o WHERE o.owner_id = ${me})`);
  }
  if (query.status?.length) conditions.push(sql<SqlBool>`c.status = ANY(${query.status}::text[])`);
  if (query.category?.length) conditions.push(sql<SqlBool>`c.category = ANY(${query.category}::text[])`);
  if (query.priority?.length) conditions.push(sql<SqlBool>`c.priority = ANY(${query.priority}::text[])`);
  if (query.flag?.length) conditions.push(sql<SqlBool>`EXISTS (SELECT 1 FROM case_flags f WHERE f.case_id = c.id AND f.flag = ANY(${query.flag}::text[]))`);
  if (query.owner === 'none') conditions.push(sql<SqlBool>`c.owner_id IS NULL`);
  else if (query.owner) conditions.push(sql<SqlBool>`c.owner_id = ${query.owner === 'me' ? me : query.owner}::uuid`);
  if (query.specialist) {
    conditions.push(
      sql<SqlBool>`EXISTS (SELECT 1 FROM case_specialists s WHERE s.case_id = c.id AND s.member_id = ${query.specialist === 'me' ? me : query.specialist}::uuid)`,
    );
  }
  if (query.overdue === true) conditions.push(sql<SqlBool>`c.next_due_on < current_date`);
  if (query.overdue === false) conditions.push(sql<SqlBool>`(c.next_due_on IS NULL OR c.next_due_on >= current_date)`);
  if (query.code) {
    const code = query.code.toUpperCase().replace(/[^0-9A-Z]/g, '');
    if (code) conditions.push(sql<SqlBool>`replace(c.code, '-', '') LIKE ${`${code}%`}`);
  }
  const where = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const order = sortColumns[query.sort ?? 'updated'];
  const direction = (query.direction ?? (query.sort === undefined || query.sort === 'updated' ? 'desc' : 'asc')) === 'asc' ? sql`ASC` : sql`DESC`;
  const result = await sql<{
    id: string;
    code: string;
    status: string;
    category: string;
    priority: string;
    owner_id: string | null;
    open_tasks: number;
    next_due_on: string | Date | null;
    created_at: Date;
    updated_at: Date;
    total: string;
    specialist_ids: string[] | null;
    flags: string[] | null;
    overdue_tasks: string;
    rotation_pending: boolean;
  }>`
    WITH page AS (
      SELECT c.*, count(*) OVER () AS total FROM cases c ${where}
      ORDER BY ${order} ${direction} NULLS LAST, c.id ${direction}
      LIMIT ${limit} OFFSET ${offset}
    )
    SELECT page.id, page.code, page.status, page.category, page.priority, page.owner_id, page.open_tasks, page.next_due_on,
      page.created_at, page.updated_at, page.total,
      (SELECT array_agg(s.member_id::text ORDER BY s.added_at) FROM case_specialists s WHERE s.case_id = page.id) AS specialist_ids,
      (SELECT array_agg(f.flag ORDER BY f.flag) FROM case_flags f WHERE f.case_id = page.id) AS flags,
      (SELECT count(*) FROM case_tasks t WHERE t.case_id = page.id AND t.state = 'open' AND t.due_on < current_date) AS overdue_tasks,
      EXISTS (SELECT 1 FROM pending_rotations p JOIN compartment_grants g ON g.case_id = p.case_id AND g.compartment = p.compartment
              AND g.member_id = ${me} AND g.current WHERE p.case_id = page.id AND p.member_id <> ${me}) AS rotation_pending
    FROM page
    ORDER BY ${orderAgain(query)}
  `.execute(db);
  const total = result.rows[0] ? Number(result.rows[0].total) : offset > 0 ? await countAll(db, where) : 0;
  return {
    total,
    rows: result.rows.map((r) => ({
      id: r.id,
      code: r.code,
      status: r.status,
      category: r.category,
      priority: r.priority,
      ownerId: r.owner_id,
      specialistIds: r.specialist_ids ?? [],
      flags: r.flags ?? [],
      openTasks: Number(r.open_tasks),
      overdueTasks: Number(r.overdue_tasks),
      nextDueOn: dayOf(r.next_due_on),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      rotationPending: r.rotation_pending,
    })),
  };
}

// The outer query keeps the page's order (a CTE's order is not guaranteed to survive).
function orderAgain(query: CaseListQuery) {
  const column = {
    updated: 'page.updated_at',
    created: 'page.created_at',
    code: 'page.code',
    status: "array_position(ARRAY['new','triage','active','in_transit','arrived','legalizing','closed'], page.status)",
    priority: "array_position(ARRAY['low','normal','high','urgent'], page.priority)",
    category: 'page.category',
    openTasks: 'page.open_tasks',
    nextDue: 'page.next_due_on',
  }[query.sort ?? 'updated'];
  const direction = (query.direction ?? (query.sort === undefined || query.sort === 'updated' ? 'desc' : 'asc')) === 'asc' ? 'ASC' : 'DESC';
  return sql.raw(`${column} ${direction} NULLS LAST, page.id ${direction}`);
}

async function countAll(db: Executor, where: ReturnType<typeof sql>): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM cases c ${where}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
