/**
 * Errors are values with stable codes. Deep code throws a `ClearingError` with a
 * code and optional parameters; the edge (HTTP response, CLI, UI) turns the
 * code into words in the reader's language using the message catalog.
 */
export const errorCodes = [
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'MALFORMED_JSON',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'INTERNAL',
  'DATABASE_UNAVAILABLE',
  'MIGRATIONS_PENDING',
  'DATA_DIR_LOCKED',
  'DATA_DIR_UNUSABLE',
  'NOT_A_DATA_DIR',
  'ALREADY_SET_UP',
  'NOT_SET_UP',
  'CONFIG_INVALID',
] as const;

export type BaseErrorCode = (typeof errorCodes)[number];

export class ClearingError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(
    code: Code,
    message: string,
    options: { status?: number; params?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClearingError';
    this.code = code;
    this.status = options.status ?? 400;
    this.params = options.params ?? {};
  }
}

export function isClearingError(value: unknown): value is ClearingError {
  return value instanceof ClearingError;
}
