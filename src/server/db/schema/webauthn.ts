import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from './columns.js';

/* Rows of WebAuthn: registered authenticators and their challenges (0006). */

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
