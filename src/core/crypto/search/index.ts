/**
 * Search without plaintext (DESIGN §4): the client turns text into stemmed
 * terms and keys them with the compartment's search key; the server stores
 * and matches only the resulting blind tokens. Leakage: docs/decisions/0004.
 */
export { searchErrorCodes, type SearchErrorCode } from './errors.js';
export { searchMessages } from './messages.js';
export { MAX_WORD_LENGTH, type StemLanguage } from './words.js';
export { DEFAULT_MAX_TERMS, MAX_QUERY_WORDS, MAX_TEXT_LENGTH, tokenize, type TokenizeOptions } from './tokenize.js';
export {
  BLIND_INDEX_VERSION,
  BLIND_TOKEN_BYTES,
  BLIND_TOKEN_LENGTH,
  MAX_PREFIX_LENGTH,
  MIN_PREFIX_LENGTH,
  blindQuery,
  blindTerms,
  blindTokens,
  type BlindQueryOptions,
  type BlindTokensOptions,
} from './blind.js';
