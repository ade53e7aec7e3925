import type { KdfPolicy } from '../../core/index.js';
import type { Database } from '../db/database.js';
import type { ServerSecrets } from '../secrets.js';

/** What the login and account use cases need besides their input. */
export interface AuthContext {
  database: Database;
  /** The data directory's secret: tags for typed names, decoys, sealed TOTP secrets. */
  secrets: ServerSecrets;
  /** The Argon2id floor stored key bundles must meet (tests pass a weak one to run quickly). */
  kdfPolicy: KdfPolicy;
}
