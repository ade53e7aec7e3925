import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema/index.js';

/** Either the database or an open transaction: repositories accept both. */
export type Executor = Kysely<Schema> | Transaction<Schema>;
