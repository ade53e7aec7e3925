import { ClearingError } from '../../errors/index.js';

/** Stable codes of the blind index; the words for them live in messages.ts. */
export const searchErrorCodes = ['SEARCH_KEY_INVALID', 'SEARCH_BAD_INPUT', 'SEARCH_TEXT_TOO_LONG', 'SEARCH_QUERY_TOO_LONG', 'SEARCH_QUERY_EMPTY'] as const;
export type SearchErrorCode = (typeof searchErrorCodes)[number];

export function searchError<Code extends SearchErrorCode>(code: Code, message: string, params: Record<string, string | number> = {}): ClearingError<Code> {
  return new ClearingError(code, { status: 400, params, detail: `blind index: ${message}` });
}
