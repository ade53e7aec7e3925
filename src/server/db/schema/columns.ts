import type { ColumnType } from 'kysely';

/** Column helpers shared by every area's row types. */
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
