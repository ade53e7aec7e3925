import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { caseCategories, caseFlags, casePriorities, caseStatuses, mayPerform } from '../../../core/index.js';
import type { CaseSummary } from '../../../core/api/index.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';

import { queryError, queryKeys } from '../../queries.js';
import { useSession } from '../../session.js';
import { useDocumentTitle } from '../../title.js';
import { Button, Checkbox, EmptyState, Select, TextField } from '../../ui/index.js';
import { useTrustedDirectory } from './directory.js';
import {
  emptyFilters,
  isFiltered,
  loadCurrentFilters,
  loadSavedFilters,
  storeCurrentFilters,
  storeSavedFilters,
  toQuery,
  withSaved,
  type CaseFilters,
  type SavedFilter,
  type SortField,
} from './list-filters.js';
import { NewCaseDialog } from './NewCaseDialog.js';

const rowHeight = 44;

/** Columns, with the server's sort field where the column can be sorted. */
const columns: ReadonlyArray<{ key: string; sort?: SortField }> = [
  { key: 'code', sort: 'code' },
  { key: 'status', sort: 'status' },
  { key: 'category', sort: 'category' },
  { key: 'priority', sort: 'priority' },
  { key: 'people' },
  { key: 'flags' },
  { key: 'tasks', sort: 'openTasks' },
  { key: 'updated', sort: 'updated' },
];

/**
 * Every case this member works on, as the server's plaintext metadata has it
 * (nothing identifying is shown or needed). Filters and sorting are the
 * server's; pages come by cursor as the list scrolls, and only the rows in
 * view are drawn, so a hundred thousand cases stay quick. Keys: ↑↓ or j k
 * move, Enter opens, / goes to the filter.
 */
export function CaseListPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('cases.list.title'));
  const session = useSession();
  const navigate = useNavigate();
  const me = session.info?.member.id ?? '';
  const actor = session.info ? { role: session.info.member.role, stage: session.info.stage, certified: session.info.member.certified } : null;
  const mayOpen = mayPerform('case.open', actor);
  const directory = useTrustedDirectory();
  // Kept for this tab, so that coming back from a case finds the list as it was left.
  const [filters, setFilters] = useState<CaseFilters>(() => loadCurrentFilters(me));
  const [codeInput, setCodeInput] = useState(filters.code);
  const [saved, setSaved] = useState<SavedFilter[]>(() => loadSavedFilters(me));
  const [saveName, setSaveName] = useState('');
  const [active, setActive] = useState(0);
  const [creating, setCreating] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const query = useInfiniteQuery({
    queryKey: [...queryKeys.cases, 'list', toQuery(filters)],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.cases.list(toQuery(filters, pageParam)),
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.cases) ?? [], [query.data]);
  const total = query.data?.pages[0]?.total ?? 0;
  const more = query.hasNextPage;

  const virtualizer = useVirtualizer({
    count: rows.length + (more ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (more && !query.isFetchingNextPage && lastIndex >= rows.length - 20) void query.fetchNextPage();
  }, [lastIndex, rows.length, more, query]);

  // A new filter starts again at the top.
  useEffect(() => {
    setActive(0);
    virtualizer.scrollToIndex(0);
    storeCurrentFilters(me, filters);
  }, [filters]);

  // The code as typed reaches the server once typing pauses, not at every key.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.code === codeInput ? f : { ...f, code: codeInput })), 250);
    return () => clearTimeout(timer);
  }, [codeInput]);
  useEffect(() => setCodeInput(filters.code), [filters.code]);

  // "/" goes to the filter from anywhere on the page but a text field.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      // By the key's place as well as its character: on a Russian layout that key types "." (and j k type "о" "л").
      if ((e.key !== '/' && e.code !== 'Slash') || e.ctrlKey || e.metaKey || e.altKey) return;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      e.preventDefault();
      codeRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  function focusRow(index: number) {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    setActive(clamped);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${clamped}"]`)?.focus());
  }

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    // Only from a row: a sort button in the header keeps its own Enter.
    if (rows.length === 0 || e.ctrlKey || e.metaKey || e.altKey || (e.target as HTMLElement).tagName !== 'TR') return;
    const moves: Record<string, number> = { ArrowDown: 1, j: 1, KeyJ: 1, ArrowUp: -1, k: -1, KeyK: -1, PageDown: 10, PageUp: -10 };
    const move = moves[e.key] ?? (e.code === 'KeyJ' || e.code === 'KeyK' ? moves[e.code] : undefined);
    if (move !== undefined) {
      e.preventDefault();
      focusRow(active + move);
    } else if (e.key === 'Home') {
      e.preventDefault();
      focusRow(0);
    } else if (e.key === 'End') {
      e.preventDefault();
      focusRow(rows.length - 1);
    } else if (e.key === 'Enter') {
      const row = rows[active];
      if (row) {
        e.preventDefault();
        void navigate(`/cases/${row.code}`);
      }
    }
  }

  const set = <K extends keyof CaseFilters>(key: K, value: CaseFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const toggle = <K extends 'status' | 'category' | 'priority' | 'flag'>(key: K, value: CaseFilters[K][number], on: boolean) =>
    setFilters((f) => ({ ...f, [key]: on ? [...(f[key] as string[]), value] : (f[key] as string[]).filter((v) => v !== value) }));
  const sortBy = (field: SortField) =>
    setFilters((f) => ({
      ...f,
      sort: field,
      direction: f.sort === field && f.direction === 'desc' ? 'asc' : f.sort === field ? 'desc' : field === 'code' ? 'asc' : 'desc',
    }));

  function save() {
    if (!saveName.trim()) return;
    const next = withSaved(saved, saveName, filters);
    setSaved(next);
    storeSavedFilters(me, next);
    setSaveName('');
  }
  function forget(name: string) {
    const next = saved.filter((s) => s.name !== name);
    setSaved(next);
    storeSavedFilters(me, next);
  }

  const nameOf = (memberId: string | null) => {
    if (!memberId) return null;
    return directory.data?.byId(memberId)?.name ?? t('cases.member.unverified');
  };
  const people = (directory.data?.trusted ?? []).filter((m) => m.memberId !== me);
  const error = queryError(query.error);
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <section aria-labelledby="cases-title" className="card case-list">
      <div className="page-head">
        <h1 id="cases-title">{t('cases.list.title')}</h1>
        <p className="case-total" role="status" data-testid="case-total">
          {query.data ? t('cases.list.total', { count: total }) : ''}
        </p>
        {mayOpen && (
          <Button variant="primary" onPress={() => setCreating(true)} data-testid="new-case">
            {t('cases.new.open')}
          </Button>
        )}
      </div>
      <form className="case-filters" aria-label={t('cases.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="case-filters-row">
          <div className="field">
            <label className="field-label" htmlFor="case-code-filter">
              {t('cases.list.code')}
            </label>
            <input
              id="case-code-filter"
              ref={codeRef}
              className="field-input case-code-input"
              value={codeInput}
              maxLength={7}
              autoComplete="off"
              spellCheck={false}
              placeholder="K7F-3QX"
              aria-describedby="case-keys-hint"
              onChange={(e) => setCodeInput(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown' || e.key === 'Enter') {
                  e.preventDefault();
                  focusRow(0);
                }
              }}
              data-testid="case-code-filter"
            />
          </div>
          <Select
            id="case-owner-filter"
            label={t('cases.list.assignee')}
            value={filters.owner}
            onChange={(v) => set('owner', v)}
            options={[
              { value: '', label: t('cases.list.anyone') },
              { value: 'me', label: t('cases.list.me') },
              { value: 'none', label: t('cases.list.nobody') },
              ...people.map((m) => ({ value: m.memberId as string, label: m.name ?? '' })),
            ]}
            data-testid="case-owner-filter"
          />
          <Select
            id="case-specialist-filter"
            label={t('cases.list.specialist')}
            value={filters.specialist}
            onChange={(v) => set('specialist', v)}
            options={[
              { value: '', label: t('cases.list.anyone') },
              { value: 'me', label: t('cases.list.me') },
              ...people.map((m) => ({ value: m.memberId as string, label: m.name ?? '' })),
            ]}
          />
          <Checkbox checked={filters.overdue} onChange={(v) => set('overdue', v)} data-testid="case-overdue-filter">
            {t('cases.list.overdueOnly')}
          </Checkbox>
        </div>
        <details className="case-filter-groups">
          <summary>{t('cases.list.moreFilters')}</summary>
          <div className="case-filter-grid">
            <fieldset>
              <legend>{t('cases.list.status')}</legend>
              {caseStatuses.map((s) => (
                <Checkbox key={s} checked={filters.status.includes(s)} onChange={(on) => toggle('status', s, on)} data-testid={`filter-status-${s}`}>
                  {t(`cases.status.${s}`)}
                </Checkbox>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('cases.list.category')}</legend>
              {caseCategories.map((c) => (
                <Checkbox key={c} checked={filters.category.includes(c)} onChange={(on) => toggle('category', c, on)} data-testid={`filter-category-${c}`}>
                  {t(`cases.category.${c}`)}
                </Checkbox>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('cases.list.priority')}</legend>
              {casePriorities.map((p) => (
                <Checkbox key={p} checked={filters.priority.includes(p)} onChange={(on) => toggle('priority', p, on)} data-testid={`filter-priority-${p}`}>
                  {t(`cases.priority.${p}`)}
                </Checkbox>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('cases.list.flags')}</legend>
              {caseFlags.map((f) => (
                <Checkbox key={f} checked={filters.flag.includes(f)} onChange={(on) => toggle('flag', f, on)} data-testid={`filter-flag-${f}`}>
                  {t(`cases.flag.${f}`)}
                </Checkbox>
              ))}
            </fieldset>
          </div>
          <div className="case-save">
            <TextField label={t('cases.list.saveName')} value={saveName} onChange={setSaveName} maxLength={60} inputTestId="save-filter-name" />
            <Button onPress={save} isDisabled={!saveName.trim()} data-testid="save-filter">
              {t('cases.list.save')}
            </Button>
          </div>
        </details>
        {(saved.length > 0 || isFiltered(filters)) && (
          <div className="case-saved" role="group" aria-label={t('cases.list.saved')}>
            {saved.map((s) => (
              <span key={s.name} className="case-saved-item">
                <Button variant="quiet" onPress={() => setFilters(s.filters)} data-testid="saved-filter">
                  {s.name}
                </Button>
                <Button variant="quiet" aria-label={t('cases.list.forget', { name: s.name })} onPress={() => forget(s.name)}>
                  ×
                </Button>
              </span>
            ))}
            {isFiltered(filters) && (
              <Button
                variant="quiet"
                onPress={() => setFilters({ ...emptyFilters, sort: filters.sort, direction: filters.direction })}
                data-testid="clear-filters"
              >
                {t('cases.list.clear')}
              </Button>
            )}
          </div>
        )}
      </form>
      <p className="hint case-keys-hint" id="case-keys-hint">
        {t('cases.list.keys')}
      </p>
      <ErrorNotice error={error} />
      {!query.data ? (
        !error && <Busy label={t('app.loading')} />
      ) : rows.length === 0 ? (
        <EmptyState title={isFiltered(filters) ? t('cases.list.noneMatch') : t('cases.list.none')} testId="cases-empty" />
      ) : (
        <div
          className="table-scroll case-scroll"
          ref={scrollRef}
          role="region"
          aria-label={t('cases.list.title')}
          tabIndex={-1}
          onKeyDown={onKeyDown}
          data-testid="case-list"
        >
          <table className="table case-table" aria-rowcount={total + 1}>
            <caption className="visually-hidden">{t('cases.list.caption')}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.key === 'tasks' ? 'number' : undefined}
                    aria-sort={c.sort && filters.sort === c.sort ? (filters.direction === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {c.sort ? (
                      <button type="button" className="sort-button" onClick={() => sortBy(c.sort as SortField)} data-testid={`sort-${c.key}`}>
                        {t(`cases.list.columns.${c.key}`)}
                        <span aria-hidden="true">{filters.sort === c.sort ? (filters.direction === 'asc' ? ' ↑' : ' ↓') : ''}</span>
                      </button>
                    ) : (
                      t(`cases.list.columns.${c.key}`)
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {before > 0 && (
                <tr className="spacer">
                  <td
                    colSpan={columns.length}
                    ref={(el) => {
                      if (el) el.style.height = `${before}px`;
                    }}
                  />
                </tr>
              )}
              {items.map((item) => {
                const row = rows[item.index];
                if (!row)
                  return (
                    <tr key="more" className="case-row-loading">
                      <td colSpan={columns.length}>{t('app.loading')}</td>
                    </tr>
                  );
                return (
                  <CaseRow
                    key={row.id}
                    row={row}
                    index={item.index}
                    active={item.index === active}
                    measure={virtualizer.measureElement}
                    onFocus={() => setActive(item.index)}
                    onOpen={() => void navigate(`/cases/${row.code}`)}
                    owner={nameOf(row.ownerId)}
                    specialists={row.specialistIds.map((id) => nameOf(id) ?? '').join(', ')}
                    language={i18n.language}
                  />
                );
              })}
              {after > 0 && (
                <tr className="spacer">
                  <td
                    colSpan={columns.length}
                    ref={(el) => {
                      if (el) el.style.height = `${after}px`;
                    }}
                  />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewCaseDialog onClose={() => setCreating(false)} />}
    </section>
  );
}

/** Compact, for a column: "02.12.26, 01:48". */
function shortDateTime(iso: string, language: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : new Intl.DateTimeFormat(language, { day: '2-digit', month: '2-digit', year: '2-digit', hour: '2-digit', minute: '2-digit' }).format(date);
}

function CaseRow({
  row,
  index,
  active,
  measure,
  onFocus,
  onOpen,
  owner,
  specialists,
  language,
}: {
  row: CaseSummary;
  index: number;
  active: boolean;
  /** The virtualizer measures each drawn row (two lines when a case has specialists or overdue tasks). */
  measure(element: HTMLTableRowElement | null): void;
  onFocus(): void;
  onOpen(): void;
  owner: string | null;
  specialists: string;
  language: string;
}) {
  const { t } = useTranslation();
  return (
    <tr
      ref={measure}
      data-index={index}
      aria-rowindex={index + 2}
      tabIndex={active ? 0 : -1}
      onFocus={onFocus}
      onClick={(e) => {
        // The code is a link of its own; a press anywhere else on the row opens the case too.
        if (!(e.target as HTMLElement).closest('a')) onOpen();
      }}
      className={active ? 'case-row active' : 'case-row'}
      data-testid="case-row"
      data-code={row.code}
    >
      <th scope="row">
        <Link to={`/cases/${row.code}`} tabIndex={-1} className="case-code">
          {row.code}
        </Link>
        {row.rotationPending && <span className="badge badge-warning">{t('cases.list.rotationPending')}</span>}
      </th>
      <td>{t(`cases.status.${row.status}`)}</td>
      <td>{t(`cases.category.${row.category}`)}</td>
      <td className={`priority priority-${row.priority}`}>{t(`cases.priority.${row.priority}`)}</td>
      <td>
        {owner ?? <span className="hint">{t('cases.list.unassigned')}</span>}
        {specialists && <span className="case-specialists">{t('cases.list.withSpecialists', { names: specialists })}</span>}
      </td>
      <td>
        {row.flags.map((f) => (
          <span key={f} className="flag">
            {t(`cases.flag.${f}`)}
          </span>
        ))}
      </td>
      <td className="number">
        {row.openTasks}
        {row.overdueTasks > 0 && <span className="danger-text case-overdue">{t('cases.list.overdueCount', { count: row.overdueTasks })}</span>}
      </td>
      <td>{shortDateTime(row.updatedAt, language)}</td>
    </tr>
  );
}
