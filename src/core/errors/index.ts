/**
 * Errors are values with stable codes. Deep code throws a `ClearingError` with a
 * code, a status and optional parameters; the words are only in the catalogues
 * (src/core/i18n/<language>/errors.ts and the crypto messages), and the edge
 * (HTTP response, CLI, UI) turns the code into words in the reader's language.
 * `message` is the English text, for logs.
 */
import type { ErrorCode, ErrorParams } from './codes.js';
import { englishMessage } from './english.js';

export * from './codes.js';

export interface ClearingErrorOptions {
  /** The HTTP status the edge answers with; 400 unless said. */
  status?: number;
  /** Values the message interpolates (`{{name}}`); sent to clients with the code. */
  params?: Record<string, string | number>;
  cause?: unknown;
  /** A technical note for logs only (English, never shown to users nor sent to clients). */
  detail?: string;
}

export class ClearingError<Code extends ErrorCode = ErrorCode> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly params: ErrorParams;
  readonly detail: string | undefined;

  constructor(code: Code, options: ClearingErrorOptions = {}) {
    const params = options.params ?? {};
    const english = englishMessage(code, params);
    super(options.detail ? `${english} (${options.detail})` : english, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClearingError';
    this.code = code;
    this.status = options.status ?? 400;
    this.params = params;
    this.detail = options.detail;
  }
}

export function isClearingError(value: unknown): value is ClearingError {
  return value instanceof ClearingError;
}
