import { describe, expect, it } from 'vitest';
import { caseListSearch } from '../../api/client.js';
import { emptyFilters, isFiltered, pageSize, parseFilters, toQuery, withSaved } from './list-filters.js';

describe('case list filters', () => {
  it('send only what narrows the list, with the sort and the page size', () => {
    expect(toQuery(emptyFilters)).toEqual({ sort: 'updated', direction: 'desc', limit: pageSize });
    expect(isFiltered(emptyFilters)).toBe(false);
    const q = toQuery({ ...emptyFilters, status: ['new', 'triage'], overdue: true, owner: 'me', code: ' k7f-3 ' }, 'MTAw');
    expect(q).toEqual({
      status: ['new', 'triage'],
      owner: 'me',
      overdue: true,
      code: 'K7F-3',
      sort: 'updated',
      direction: 'desc',
      limit: pageSize,
      cursor: 'MTAw',
    });
  });

  it('become a query string with a repeated name per list item', () => {
    const search = caseListSearch(toQuery({ ...emptyFilters, status: ['new', 'active'], category: ['officer'] }));
    expect(new URLSearchParams(search).getAll('status')).toEqual(['new', 'active']);
    expect(new URLSearchParams(search).getAll('category')).toEqual(['officer']);
    expect(search).not.toContain('flag');
  });

  it('read back from storage keep only values that still exist', () => {
    const stored = JSON.parse(
      JSON.stringify({ ...emptyFilters, status: ['new', 'gone'], priority: ['urgent'], sort: 'nonsense', direction: 'asc', overdue: 'yes' }),
    );
    expect(parseFilters(stored)).toEqual({ ...emptyFilters, status: ['new'], priority: ['urgent'], direction: 'asc' });
    expect(parseFilters(null)).toEqual(emptyFilters);
  });

  it('saved under a name replace the filter of the same name', () => {
    const first = withSaved([], '  Mine  ', { ...emptyFilters, owner: 'me' });
    const second = withSaved(first, 'Mine', { ...emptyFilters, owner: 'none' });
    expect(second).toEqual([{ name: 'Mine', filters: { ...emptyFilters, owner: 'none' } }]);
  });
});
