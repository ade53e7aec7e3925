import type { ColumnType } from 'kysely';
import type { SignedTreeHead } from '../../../core/index.js';

/* Rows of the audit log: entries, signed tree heads, the log key (0003). */

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
  /** The head as the server signed it (src/core/audit). */
  signed_head: ColumnType<SignedTreeHead, string, string>;
  created_at: ColumnType<Date, never, never>;
}

export interface AuditLogKeyTable {
  id: ColumnType<number, number | undefined, number>;
  public_key: string;
  private_key: string;
  created_at: ColumnType<Date, never, never>;
}
