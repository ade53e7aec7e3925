import type { SearchRequest } from '../api/cases.js';
import { blindQuery } from '../crypto/search/blind.js';
import { searchError } from '../crypto/search/errors.js';
import { tokenize } from '../crypto/search/tokenize.js';
import { words } from '../crypto/search/words.js';
import { deriveSearchKey } from '../crypto/compartments/key.js';
import type { CompartmentKeyring } from '../crypto/compartments/keyring.js';

/**
 * The search request for a query over every compartment epoch the member
 * holds: one group of blind tokens per query word (one token per epoch key),
 * so a record matches when it carries a token of every group. Search keys
 * are per compartment and epoch: a token says nothing about another one.
 * Throws SEARCH_QUERY_EMPTY / SEARCH_QUERY_TOO_LONG; null when the member holds nothing to search.
 */
export function prepareSearch(props: { query: string; keyrings: readonly CompartmentKeyring[]; limit?: number }): SearchRequest | null {
  const terms = tokenize(props.query, { mode: 'query' });
  if (terms.length === 0) throw searchError('SEARCH_QUERY_EMPTY', 'the query has no searchable word');
  const keys = props.keyrings.flatMap((ring) => ring.keys.map((key) => deriveSearchKey(key)));
  // Nothing the member can open: nothing to ask the server.
  if (keys.length === 0) return null;
  const groups = terms.slice(0, 8).map((term) => [...new Set(keys.flatMap((key) => blindQuery(key, term)))]);
  return { groups, ...(props.limit ? { limit: props.limit } : {}) };
}

export interface TextSegment {
  text: string;
  hit: boolean;
}

/** The text cut into plain and matching segments, a word matching when it shares a search term with the query. */
export function highlightMatches(text: string, query: string): TextSegment[] {
  let wanted: Set<string>;
  try {
    wanted = new Set(tokenize(query, { mode: 'query' }));
  } catch {
    return [{ text, hit: false }];
  }
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}'’]+/gu)) {
    const index = match.index ?? 0;
    const word = match[0];
    let hit = false;
    for (const w of words(word)) {
      if (tokenize(w.text, { mode: 'index' }).some((term) => wanted.has(term))) hit = true;
    }
    if (!hit) continue;
    if (index > last) out.push({ text: text.slice(last, index), hit: false });
    out.push({ text: word, hit: true });
    last = index + word.length;
  }
  if (last < text.length) out.push({ text: text.slice(last), hit: false });
  return out;
}

/**
 * Whether a decrypted text really carries every word of the query: a blind
 * token can match by chance (they are 8 bytes), so the browser checks each
 * hit before showing it.
 */
export function matchesQuery(text: string, query: string): boolean {
  let wanted: string[];
  try {
    wanted = tokenize(query, { mode: 'query' });
  } catch {
    return false;
  }
  if (wanted.length === 0) return false;
  // The same cap as the record's tokens had: a word past it was never indexed either.
  const terms = new Set(tokenize(text, { mode: 'index' }));
  return wanted.every((term) => terms.has(term));
}
