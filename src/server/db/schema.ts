import type { ColumnType, Generated } from 'kysely';

/** Row types of every table, kept beside the numbered migrations in ./migrations. */
export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  default_language: string;
  created_at: ColumnType<Date, never, never>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: ColumnType<Date, never, never>;
}

export interface Schema {
  organization: OrganizationTable;
  schema_migrations: SchemaMigrationsTable;
}
