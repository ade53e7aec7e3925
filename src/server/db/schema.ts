import type { ColumnType, Generated } from 'kysely';

/** Row types of every table, kept beside the numbered migrations in ./migrations. */
export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  default_language: string;
  public_key: string | null;
  fingerprint: string | null;
  rotation_pending: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: ColumnType<Date, never, never>;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface MembersTable {
  id: string;
  name: string;
  name_key: string;
  role: string;
  status: ColumnType<string, string | undefined, string>;
  key_bundle: Json<unknown>;
  encryption_public_key: string;
  signing_public_key: string;
  certificate: ColumnType<unknown | null, string | null | undefined, string | null>;
  certified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  auth_hash: string;
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  recovery_codes: ColumnType<string[], string | undefined, string>;
  invited_by: string | null;
  created_at: ColumnType<Date, never, never>;
  last_active_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface OrganizationKeyGrantsTable {
  member_id: string;
  sealed_key: Json<unknown>;
  granted_by: string | null;
  created_at: ColumnType<Date, never, never>;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  role: string;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  member_id: string | null;
  statement: ColumnType<unknown | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  id_hash: string;
  member_id: string;
  stage: string;
  csrf_token: string;
  created_at: ColumnType<Date, never, never>;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface LoginChallengesTable {
  challenge_hash: string;
  name_key: string;
  expires_at: Timestamp;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  next_allowed_at: Timestamp;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: ColumnType<Date, never, never>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface AuditEntriesTable {
  seq: ColumnType<string | number, number, number>;
  occurred_at: ColumnType<Date, string, string>;
  action: string;
  actor_id: string | null;
  subject_id: string | null;
  detail: ColumnType<Record<string, string | number | boolean | null>, string, string>;
  leaf_hash: string;
}

export interface AuditTreeHeadsTable {
  size: ColumnType<string | number, number, number>;
  root_hash: string;
  signed_head: ColumnType<unknown, string, string>;
  created_at: ColumnType<Date, never, never>;
}

export interface AuditLogKeyTable {
  id: ColumnType<number, number | undefined, number>;
  public_key: string;
  private_key: string;
  created_at: ColumnType<Date, never, never>;
}

export interface MembershipListsTable {
  counter: ColumnType<string | number, number, never>;
  organization_key: string;
  list: Json<unknown>;
  published_by: string | null;
  created_at: ColumnType<Date, never, never>;
}

export interface OrganizationKeyRotationsTable {
  seq: number;
  previous_key: string;
  new_key: string;
  statement: Json<unknown>;
  rotated_by: string | null;
  created_at: ColumnType<Date, never, never>;
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
  server_secrets: ServerSecretsTable;
  schema_migrations: SchemaMigrationsTable;
  membership_lists: MembershipListsTable;
  organization_key_rotations: OrganizationKeyRotationsTable;
}
