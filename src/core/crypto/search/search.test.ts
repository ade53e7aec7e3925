import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base64urlnopad } from '@scure/base';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import {
  BLIND_TOKEN_LENGTH,
  MAX_QUERY_WORDS,
  MAX_TEXT_LENGTH,
  MAX_WORD_LENGTH,
  blindQuery,
  blindTokens,
  searchErrorCodes,
  searchMessages,
  tokenize,
} from './index.js';

const key = new Uint8Array(32).map((_, i) => i + 1);
const otherKey = new Uint8Array(32).map((_, i) => 200 - i);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isClearingError(error) ? error.code : `untyped: ${String(error)}`;
  }
  return undefined;
}

/** A record matches when it carries every token of the query — what the server checks. */
const matches = (recordText: string, query: string, options = {}) => {
  const stored = new Set(blindTokens(key, recordText, { prefixes: true }));
  return blindQuery(key, query, options).every((t) => stored.has(t));
};

describe('tokenizer', () => {
  it('gives every grammatical form of a Russian word one term', () => {
    expect(tokenize('паспорт паспорта паспортом паспорту паспортах Паспортами')).toEqual(['паспорт']);
    expect(tokenize('повестка повестки повесткой повестку')).toEqual(['повестк']);
    expect(tokenize('мобилизация мобилизации мобилизацию')).toEqual(['мобилизац']);
    expect(tokenize('Ёлка ёлки елка')).toEqual(['елк']);
  });

  it('gives every grammatical form of a Ukrainian word one term', () => {
    expect(tokenize('повістка повістки повістку повісткою')).toEqual(['повістк']);
    expect(tokenize('мобілізація мобілізації мобілізацію мобілізацією')).toEqual(['мобілізац']);
    expect(tokenize('військовий військового військовому військових')).toEqual(['військов']);
    expect(tokenize('свідчення свідчень свідченням свідченнях')).toEqual(['свідчен']);
    // A Ukrainian apostrophe in any of its shapes.
    expect(tokenize("м'ясо мʼясо м’ясо")).toEqual(['мяс']);
  });

  it('gives every grammatical form of an English word one term', () => {
    expect(tokenize('passport passports Passport’s')).toEqual(['passport']);
    expect(tokenize('deserted deserting deserter deserters')).toEqual(['desert']);
    expect(tokenize('run running runs')).toEqual(['run']);
    expect(tokenize('conscription conscripts conscripted')).toEqual(['conscript']);
  });

  it('drops stop words in each language', () => {
    expect(tokenize('и в на не что он она это')).toEqual([]);
    expect(tokenize('і та що він вона їх є')).toEqual([]);
    expect(tokenize('the and of to is it was with')).toEqual([]);
    expect(tokenize('он не получил паспорт', { mode: 'query' })).toEqual(['получ', 'паспорт']);
  });

  it('handles mixed scripts, numbers and codes', () => {
    const text = 'Он бежал из Ростова-на-Дону 12.03.2024; він отримав повістку. The deserter fled, case K7F-3QX.';
    const query = ['бежа', 'ростов', 'дон', '12', '03', '2024', 'отрима', 'повістк', 'desert', 'fled', 'case', 'k7f', '3qx'];
    expect(tokenize(text, { mode: 'query' })).toEqual(query);
    // Words without a letter only Russian or only Ukrainian has get both stemmers' terms in the index.
    expect(tokenize(text)).toEqual([...query.slice(0, 1), 'бежал', 'ростов', 'рост', ...query.slice(2)]);
    expect(tokenize(text, { mode: 'query', language: 'uk' })).toEqual(['бежал', 'рост', ...query.slice(2)]);
  });

  it('folds look-alike letters of a mixed word into its main script', () => {
    // Latin a, c in a Cyrillic word; Cyrillic а in a Latin word.
    expect(tokenize('пacпорт')).toEqual(tokenize('паспорт'));
    expect(tokenize('pаssport')).toEqual(tokenize('passport'));
    expect(tokenize('пiдтвердження')).toEqual(tokenize('підтвердження'));
  });

  it('normalizes with NFKC and drops stress marks', () => {
    expect(tokenize('ＰＡＳＳＰＯＲＴ ﬁle ２０２４')).toEqual(['passport', 'file', '2024']);
    expect(tokenize('за\u0301мок')).toEqual(tokenize('замок'));
    expect(tokenize('e\u0301te\u0301')).toEqual(tokenize('\u00e9t\u00e9'));
  });

  it('is empty for empty or wordless text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('  ,.;!? — … \n\t')).toEqual([]);
    expect(blindTokens(key, '')).toEqual([]);
  });

  it('caps word length, term count and text length', () => {
    const long = 'ж'.repeat(500);
    const [term] = tokenize(long);
    expect(Array.from(term!).length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
    expect(matches(long, long)).toBe(true);

    const many = Array.from({ length: 6000 }, (_, i) => `w${i}`).join(' ');
    expect(tokenize(many)).toHaveLength(4096);
    expect(tokenize(many, { maxTerms: 10 })).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9']);
    expect(codeOf(() => tokenize(many, { maxTerms: 0 }))).toBe('SEARCH_BAD_INPUT');

    expect(codeOf(() => tokenize('а'.repeat(MAX_TEXT_LENGTH + 1)))).toBe('SEARCH_TEXT_TOO_LONG');
    expect(codeOf(() => tokenize(42 as unknown as string))).toBe('SEARCH_BAD_INPUT');
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const a = tokenize(text);
        expect(tokenize(text)).toEqual(a);
        expect(new Set(a).size).toBe(a.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('blind tokens', () => {
  it('are HMAC-SHA-256 of the labelled term, cut to 8 bytes, base64url', () => {
    const message = utf8ToBytes('clearing-blind-index-v1\0t\0паспорт');
    const expected = base64urlnopad.encode(hmac(sha256, key, message).subarray(0, 8));
    expect(blindQuery(key, 'паспортом')).toEqual([expected]);
    expect(blindTokens(key, 'паспорта')).toEqual([expected]);
  });

  it('match a record whatever form of the word the query uses', () => {
    const record = 'Сведения о паспорте: военный билет выдан, паспорта нет. Він мав повістку. The passports were seized.';
    for (const query of ['паспорт', 'паспортом', 'военного билета', 'повістки', 'повісткою', 'passport', 'seize']) {
      expect(matches(record, query), query).toBe(true);
    }
    expect(matches(record, 'паспорт визы')).toBe(false);
  });

  it('match Cyrillic words shared by Russian and Ukrainian whichever stemmer the query picks', () => {
    const record = 'людина без документа';
    for (const language of ['ru', 'uk'] as const) {
      expect(matches(record, 'людини', { language }), language).toBe(true);
      expect(matches(record, 'документи', { language }), language).toBe(true);
    }
  });

  it('are unrelated under different keys', () => {
    const text = 'паспорт военный билет повістка passport deserter 2024';
    const a = blindTokens(key, text);
    const b = blindTokens(otherKey, text);
    expect(a).toHaveLength(b.length);
    expect(a.filter((t) => b.includes(t))).toEqual([]);
  });

  it('have a fixed length, come sorted and unique, and reveal no order', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.boolean(), (text, prefixes) => {
        const tokens = blindTokens(key, text, { prefixes });
        expect(tokens).toEqual([...new Set(tokens)].sort());
        for (const t of tokens) expect(t).toMatch(new RegExp(`^[A-Za-z0-9_-]{${BLIND_TOKEN_LENGTH}}$`));
      }),
      { numRuns: 200 },
    );
    expect(blindTokens(key, 'паспорт виза')).toEqual(blindTokens(key, 'виза паспорт'));
  });

  it('let every word of a record find the record', () => {
    const alphabet = [...'абвгдежзийклмнопрстуфхцчшщъыьэюяёіїєґ', ...'abcdefghijklmnopqrstuvwxyz', ...'0123456789'];
    const word = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 12 }).map((c) => c.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 15 }), fc.constantFrom('ru', 'uk', 'en'), (list, language) => {
        const record = list.join(' ');
        const stored = new Set(blindTokens(key, record, { prefixes: true }));
        for (const w of list) {
          if (tokenize(w, { mode: 'query' }).length === 0) continue; // a stop word
          for (const t of blindQuery(key, w, { language: language as 'ru' | 'uk' | 'en' })) {
            if (!stored.has(t)) return false;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('prefix search', () => {
  it('finds words by their first three to eight letters', () => {
    expect(matches('паспортами', 'пас', { prefix: true })).toBe(true);
    expect(matches('паспортами', 'паспорта', { prefix: true })).toBe(true);
    expect(matches('паспортами', 'паспортами', { prefix: true })).toBe(true);
    expect(matches('военного паспорта', 'военный пасп', { prefix: true })).toBe(true);
    expect(matches('военного паспорта', 'военный виз', { prefix: true })).toBe(false);
    // A typed prefix that happens to be a stop word still counts.
    expect(matches('тотальный контроль', 'тот', { prefix: true })).toBe(true);
  });

  it('needs records indexed with prefixes', () => {
    const stored = new Set(blindTokens(key, 'паспортами'));
    expect(blindQuery(key, 'пасп', { prefix: true }).every((t) => stored.has(t))).toBe(false);
  });

  it('ignores a prefix too short to be selective', () => {
    expect(codeOf(() => blindQuery(key, 'па', { prefix: true }))).toBe('SEARCH_QUERY_EMPTY');
    expect(blindQuery(key, 'паспорт па', { prefix: true })).toEqual(blindQuery(key, 'паспорт'));
  });
});

describe('bad input', () => {
  it('is a typed error', () => {
    expect(codeOf(() => blindTokens(new Uint8Array(16), 'паспорт'))).toBe('SEARCH_KEY_INVALID');
    expect(codeOf(() => blindQuery('key' as unknown as Uint8Array, 'паспорт'))).toBe('SEARCH_KEY_INVALID');
    expect(codeOf(() => blindQuery(key, 'и в на'))).toBe('SEARCH_QUERY_EMPTY');
    expect(codeOf(() => blindQuery(key, ''))).toBe('SEARCH_QUERY_EMPTY');
    const tooMany = Array.from({ length: MAX_QUERY_WORDS + 1 }, (_, i) => `слово${i}`).join(' ');
    expect(codeOf(() => blindQuery(key, tooMany))).toBe('SEARCH_QUERY_TOO_LONG');
    expect(codeOf(() => blindQuery(key, null as unknown as string))).toBe('SEARCH_BAD_INPUT');
  });

  it('has words for every code in both languages', () => {
    for (const lang of ['en', 'ru'] as const) expect(Object.keys(searchMessages[lang]).sort()).toEqual([...searchErrorCodes].sort());
  });
});
