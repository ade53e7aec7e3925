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
  /** Legacy slow hash of the pre-proof login key; NULL once the member logs in with a proof. */
  auth_hash: ColumnType<string | null, string | null | undefined, string | null>;
  /** Ed25519 public key that verifies login proofs. */
  auth_public_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Sealed with the server secret (src/server/secrets.ts), never stored in the clear. */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  recovery_codes: ColumnType<string[], string | undefined, string>;
  invited_by: string | null;
  created_at: ColumnType<Date, never, never>;
  last_active_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  // 0006_webauthn
  totp_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_pending_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
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
  // 0006_webauthn
  public_id: Generated<string>;
  client_label: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface LoginChallengesTable {
  challenge_hash: string;
  /** HMAC of the name (or member id) under the server secret: never what was typed. */
  subject_tag: string;
  purpose: ColumnType<string, string | undefined, string>;
  expires_at: Timestamp;
}

export interface AuthThrottleTable {
  key: string;
  failures: number;
  next_allowed_at: Timestamp;
  updated_at: ColumnType<Date, Date | undefined, Date>;
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

/** 0006_webauthn: registered authenticators (security keys, passkeys). */
export interface WebauthnCredentialsTable {
  id: string;
  member_id: string;
  credential_id: string;
  public_key: string;
  counter: ColumnType<string | number, number | undefined, number>;
  transports: Json<string[]>;
  name: string;
  created_at: ColumnType<Date, never, never>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** 0006_webauthn: single-use challenges for registration and assertions. */
export interface WebauthnChallengesTable {
  challenge_hash: string;
  member_id: string;
  session_hash: string;
  purpose: 'registration' | 'login' | 'confirmation';
  expires_at: Timestamp;
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
  schema_migrations: SchemaMigrationsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  membership_lists: MembershipListsTable;
  organization_key_rotations: OrganizationKeyRotationsTable;
}
