import type { ColumnType, Generated } from 'kysely';
import type { Json } from './columns.js';

/* Rows of the organization: the one organization row, its signed membership lists and key rotations (0001, 0005). */

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
