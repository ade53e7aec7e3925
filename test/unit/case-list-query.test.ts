import { parse } from 'node:querystring';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { caseListQuerySchema } from '../../src/core/api/cases.js';
import { caseListQueryFromSearch } from '../../src/server/http/routes/cases.js';
import { caseListSearch } from '../../src/web/api/client.js';

/** The app validates without coercion: what the browser sends must become the schema's types before validation. */
describe('the case list query string', () => {
  const roundTrip = (query: Parameters<typeof caseListSearch>[0]) => caseListQueryFromSearch({ ...parse(caseListSearch(query)) });

  it('reads single and repeated lists, the limit and overdue', () => {
    const query = { status: ['new' as const], category: ['officer' as const, 'contract' as const], overdue: true, limit: 100, sort: 'code' as const };
    const read = roundTrip(query);
    expect(read).toEqual({ status: ['new'], category: ['officer', 'contract'], overdue: true, limit: 100, sort: 'code' });
    expect(Value.Check(caseListQuerySchema, read)).toBe(true);
  });

  it('leaves what is malformed for the schema to refuse', () => {
    const read = caseListQueryFromSearch({ limit: 'lots', overdue: 'maybe' });
    expect(Value.Check(caseListQuerySchema, read)).toBe(false);
  });
});
