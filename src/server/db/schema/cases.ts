import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './columns.js';

/* Rows of casework (0007): cases, chains, compartments, grants, records, tokens, flags, tasks, notifications. */

type Created = ColumnType<Date, Date | string | undefined, never>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface CasesTable {
  id: string;
  code: string;
  status: ColumnType<string, string | undefined, string>;
  category: string;
  priority: ColumnType<string, string | undefined, string>;
  owner_id: Nullable<string>;
  outcome: Nullable<string>;
  created_by: string;
  created_at: Created;
  updated_at: Timestamp;
  closed_at: Nullable<Date>;
  open_tasks: ColumnType<number, number | undefined, number>;
  next_due_on: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CaseSpecialistsTable {
  case_id: string;
  member_id: string;
  kind: string;
  added_by: string;
  added_at: Created;
}

export interface CaseStatementsTable {
  case_id: string;
  seq: number;
  statement: Json<unknown>;
  created_at: Created;
}

export interface CompartmentsTable {
  case_id: string;
  compartment: string;
  current_epoch: ColumnType<number, number | undefined, number>;
}

export interface CompartmentEpochsTable {
  case_id: string;
  compartment: string;
  epoch: number;
  public_key: string;
  link: Nullable<string>;
  created_by: string;
  created_at: Created;
}

export interface CompartmentGrantsTable {
  case_id: string;
  compartment: string;
  epoch: number;
  member_id: string;
  sealed_key: Json<unknown>;
  granted_by: string;
  current: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Created;
}

export interface PendingRotationsTable {
  case_id: string;
  compartment: string;
  member_id: string;
  reason: string;
  requested_by: Nullable<string>;
  requested_at: Created;
}

export interface CaseRecordsTable {
  id: string;
  version: number;
  case_id: string;
  compartment: string;
  kind: string;
  epoch: number;
  author_id: string;
  sealed: Json<unknown>;
  created_at: Created;
}

export interface RecordHeadsTable {
  id: string;
  case_id: string;
  compartment: string;
  kind: string;
  version: number;
  updated_at: Timestamp;
}

export interface RecordTokensTable {
  token: string;
  record_id: string;
  case_id: string;
}

export interface CaseFlagsTable {
  case_id: string;
  flag: string;
  set_by: string;
  set_at: Created;
}

export interface CaseTasksTable {
  id: string;
  case_id: string;
  record_id: string;
  compartment: string;
  assignee_id: Nullable<string>;
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  state: ColumnType<string, string | undefined, string>;
  created_by: string;
  created_at: Created;
  updated_at: Timestamp;
  overdue_notified_at: Nullable<Date>;
}

export interface NotificationsTable {
  id: Generated<string>;
  member_id: string;
  kind: string;
  case_id: Nullable<string>;
  task_id: Nullable<string>;
  actor_id: Nullable<string>;
  detail: ColumnType<Record<string, string | number | boolean | null>, string | undefined, string>;
  created_at: Created;
  read_at: Nullable<Date>;
}
