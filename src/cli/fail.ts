import { isClearingError } from '../core/errors/index.js';
import { errorMessage, type Messages } from '../core/i18n/index.js';
import { language, t } from './i18n.js';

/** A failure the command line words itself (its catalogue key and parameters), for what no error code covers. */
export class CliFailure extends Error {
  constructor(
    readonly key: keyof Messages['cli'],
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
    this.name = 'CliFailure';
  }
}

/** Prints an error in the user's language with its stable code, and exits non-zero. */
export function fail(error: unknown): never {
  if (error instanceof CliFailure) {
    process.stderr.write(`${t(error.key, error.params)}\n`);
  } else if (isClearingError(error)) {
    process.stderr.write(`${error.code}: ${errorMessage(language, error.code, { ...error.params })}\n`);
  } else {
    process.stderr.write(`${t('failed')}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}
