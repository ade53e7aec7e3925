import type { ColumnType } from 'kysely';
import type { AuditEntriesTable, AuditLogKeyTable, AuditTreeHeadsTable } from './audit.js';
import type { AuthThrottleTable, InvitationsTable, LoginChallengesTable, MembersTable, OrganizationKeyGrantsTable, SessionsTable } from './members.js';
import type { MembershipListsTable, OrganizationKeyRotationsTable, OrganizationTable } from './organization.js';
import type { WebauthnChallengesTable, WebauthnCredentialsTable } from './webauthn.js';
import type {
  CaseFlagsTable,
  CaseRecordsTable,
  CasesTable,
  CaseSpecialistsTable,
  CaseStatementsTable,
  CaseTasksTable,
  CompartmentEpochsTable,
  CompartmentGrantsTable,
  CompartmentsTable,
  NotificationsTable,
  PendingRotationsTable,
  RecordHeadsTable,
  RecordTokensTable,
} from './cases.js';

/**
 * Row types of every table, one file per area, kept beside the numbered
 * migrations in ../migrations. A new area (cases, evidence) adds its file here.
 */
export type * from './audit.js';
export type * from './members.js';
export type * from './organization.js';
export type * from './webauthn.js';
export type * from './cases.js';
export type { Json, Timestamp } from './columns.js';

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface Schema {
  audit_entries: AuditEntriesTable;
  audit_tree_heads: AuditTreeHeadsTable;
  audit_log_key: AuditLogKeyTable;
  organization: OrganizationTable;
  members: MembersTable;
  organization_key_grants: OrganizationKeyGrantsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  login_challenges: LoginChallengesTable;
  auth_throttle: AuthThrottleTable;
  schema_migrations: SchemaMigrationsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  membership_lists: MembershipListsTable;
  organization_key_rotations: OrganizationKeyRotationsTable;
  cases: CasesTable;
  case_specialists: CaseSpecialistsTable;
  case_statements: CaseStatementsTable;
  compartments: CompartmentsTable;
  compartment_epochs: CompartmentEpochsTable;
  compartment_grants: CompartmentGrantsTable;
  pending_rotations: PendingRotationsTable;
  case_records: CaseRecordsTable;
  record_heads: RecordHeadsTable;
  record_tokens: RecordTokensTable;
  case_flags: CaseFlagsTable;
  case_tasks: CaseTasksTable;
  notifications: NotificationsTable;
}
