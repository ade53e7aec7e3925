import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base64urlnopad } from '@scure/base';
import { searchError } from './errors.js';
import { DEFAULT_MAX_TERMS, type TokenizeOptions, checkText, contentWords, termsOf, tokenize } from './tokenize.js';
import { type StemLanguage, words } from './words.js';

/** Bump when anything that changes tokens changes (normalization, stemmers, stop words, encoding): old tokens stop matching. */
export const BLIND_INDEX_VERSION = 2;
const DOMAIN_LABEL = utf8ToBytes('clearing-blind-index-v1');
const KIND_TERM = 0x74; // 't'
const KIND_PREFIX = 0x70; // 'p'

/**
 * 8 bytes of HMAC-SHA-256 (docs/security.md, "What search tells a live
 * server"): a query sends one token per word and compartment epoch, and with
 * 2^64 values the chance that one of them falsely matches any of a hundred
 * million stored tokens is below 10^-5, so the browser hardly ever decrypts a
 * record for nothing, while the index is half the size of 16-byte tokens.
 * Shorter tokens would not hide more: within one compartment epoch a few
 * thousand distinct words never collide in 2^32 or more values either, so
 * the server's view (which records share a word) is the same until tokens
 * are so short that most hits are false.
 */
export const BLIND_TOKEN_BYTES = 8;
/** A blind token is base64url without padding: 11 characters. */
export const BLIND_TOKEN_LENGTH = 11;

/** Prefix tokens cover the first 3…8 characters of each word; shorter typed prefixes are too unselective to send. */
export const MIN_PREFIX_LENGTH = 3;
export const MAX_PREFIX_LENGTH = 8;

export interface BlindTokensOptions extends Pick<TokenizeOptions, 'maxTerms'> {
  /** Also index prefixes, so `blindQuery(…, { prefix: true })` finds words by their beginning. Costs up to 6 tokens a word. */
  prefixes?: boolean;
}

export interface BlindQueryOptions {
  /** Stemmer for Cyrillic words that could be Russian or Ukrainian (the record side indexes both). Default 'ru'. */
  language?: StemLanguage;
  /** Treat the last query word as a prefix (search as you type). Needs records indexed with `prefixes: true`. */
  prefix?: boolean;
}

function keyedHasher(searchKey: Uint8Array): (kind: number, term: string) => string {
  if (!(searchKey instanceof Uint8Array) || searchKey.length !== 32) {
    throw searchError('SEARCH_KEY_INVALID', 'a search key is 32 bytes');
  }
  const base = hmac.create(sha256, searchKey);
  const header = new Uint8Array(DOMAIN_LABEL.length + 3);
  header.set(DOMAIN_LABEL);
  return (kind, term) => {
    // label ‖ 0x00 ‖ kind ‖ 0x00 ‖ term: fixed-width framing, so a term can never pose as a prefix or another label.
    header[DOMAIN_LABEL.length + 1] = kind;
    const mac = base.clone().update(header).update(utf8ToBytes(term)).digest();
    return base64urlnopad.encode(mac.subarray(0, BLIND_TOKEN_BYTES));
  };
}

function prefixesOf(word: string): string[] {
  const chars = Array.from(word);
  const out: string[] = [];
  for (let n = MIN_PREFIX_LENGTH; n <= Math.min(chars.length, MAX_PREFIX_LENGTH); n++) out.push(chars.slice(0, n).join(''));
  return out;
}

/**
 * The blind tokens to store with a record: one per search term (and, if asked,
 * per word prefix), keyed with the compartment's search key. Sorted, so the
 * stored set says nothing about word order.
 */
export function blindTokens(searchKey: Uint8Array, text: string, options: BlindTokensOptions = {}): string[] {
  const blind = keyedHasher(searchKey);
  const tokens = new Set<string>();
  for (const term of tokenize(text, { maxTerms: options.maxTerms, mode: 'index' })) tokens.add(blind(KIND_TERM, term));
  if (options.prefixes) {
    // The same cap as for terms, so prefixes stay within six tokens per indexed word.
    for (const word of contentWords(text).slice(0, options.maxTerms ?? DEFAULT_MAX_TERMS)) {
      for (const prefix of prefixesOf(word.text)) tokens.add(blind(KIND_PREFIX, prefix));
    }
  }
  return [...tokens].sort();
}

/**
 * The tokens a record must all carry to match the query. Throws
 * SEARCH_QUERY_EMPTY when nothing is left to search for (only stop words, or
 * a prefix shorter than three characters) — an empty list must never be sent,
 * as "all of nothing" matches every record.
 */
export function blindQuery(searchKey: Uint8Array, query: string, options: BlindQueryOptions = {}): string[] {
  checkText(query);
  const blind = keyedHasher(searchKey);
  const language = options.language ?? 'ru';
  const list = [...words(query)];
  let prefix: string | undefined;
  if (options.prefix) {
    // The word being typed is matched by its beginning, stop word or not: "тот" may be the start of "тотальный".
    const chars = Array.from(list.pop()?.text ?? '');
    if (chars.length >= MIN_PREFIX_LENGTH) prefix = chars.slice(0, MAX_PREFIX_LENGTH).join('');
  }
  const terms = termsOf(list, 'query', language, Number.POSITIVE_INFINITY);
  const tokens = new Set(terms.map((term) => blind(KIND_TERM, term)));
  if (prefix !== undefined) tokens.add(blind(KIND_PREFIX, prefix));
  if (tokens.size === 0) throw searchError('SEARCH_QUERY_EMPTY', 'the query has no searchable word');
  return [...tokens].sort();
}
