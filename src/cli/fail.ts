import { isClearingError } from '../core/errors/index.js';
import { errorMessage } from '../core/i18n/index.js';
import { language, t } from './i18n.js';

/** Prints an error in the user's language with its stable code, and exits non-zero. */
export function fail(error: unknown): never {
  if (isClearingError(error)) {
    process.stderr.write(`${error.code}: ${errorMessage(language, error.code, { ...error.params })}\n`);
  } else {
    process.stderr.write(`${t('failed')}: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}
