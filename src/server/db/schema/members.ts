import type { ColumnType, Generated } from 'kysely';
import type { MemberStatus, Role } from '../../../core/index.js';
import type { Json, Timestamp } from './columns.js';

export type SessionStage = 'second_factor' | 'totp_enrollment' | 'full';

/* Rows of members and their logins: accounts, organization-key grants, invitations, sessions, challenges, the throttle (0002, 0004). */

export interface MembersTable {
  id: string;
  name: string;
  name_key: string;
  role: Role;
  status: ColumnType<MemberStatus, MemberStatus | undefined, MemberStatus>;
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
  role: Role;
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
  stage: SessionStage;
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
