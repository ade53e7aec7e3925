/*
 * The case list's filters: what the page holds, what it sends (every filter is
 * a server-side query parameter), and the named filters a volunteer saves in
 * this browser. Saved filters hold only workflow metadata (statuses,
 * categories, "mine"), nothing that identifies a person.
 */
import {
  caseCategories,
  caseFlags,
  casePriorities,
  caseStatuses,
  type CaseCategory,
  type CaseFlag,
  type CasePriority,
  type CaseStatus,
} from '../../../core/index.js';
import type { CaseListQuery } from '../../../core/api/index.js';

export const sortFields = ['updated', 'created', 'code', 'status', 'priority', 'category', 'openTasks', 'nextDue'] as const;
export type SortField = (typeof sortFields)[number];

export interface CaseFilters {
  status: CaseStatus[];
  category: CaseCategory[];
  priority: CasePriority[];
  flag: CaseFlag[];
  /** '' any; 'me'; 'none'; or a member id. */
  owner: string;
  /** '' any; 'me'; or a member id. */
  specialist: string;
  overdue: boolean;
  code: string;
  sort: SortField;
  direction: 'asc' | 'desc';
}

export const emptyFilters: CaseFilters = {
  status: [],
  category: [],
  priority: [],
  flag: [],
  owner: '',
  specialist: '',
  overdue: false,
  code: '',
  sort: 'updated',
  direction: 'desc',
};

export const pageSize = 100;

export function toQuery(filters: CaseFilters, cursor?: string | null): CaseListQuery {
  const code = filters.code
    .toUpperCase()
    .replace(/[^0-9A-Z-]/g, '')
    .slice(0, 7);
  return {
    ...(filters.status.length ? { status: filters.status } : {}),
    ...(filters.category.length ? { category: filters.category } : {}),
    ...(filters.priority.length ? { priority: filters.priority } : {}),
    ...(filters.flag.length ? { flag: filters.flag } : {}),
    ...(filters.owner ? { owner: filters.owner as CaseListQuery['owner'] } : {}),
    ...(filters.specialist ? { specialist: filters.specialist as CaseListQuery['specialist'] } : {}),
    ...(filters.overdue ? { overdue: true } : {}),
    ...(code ? { code } : {}),
    sort: filters.sort,
    direction: filters.direction,
    limit: pageSize,
    ...(cursor ? { cursor } : {}),
  };
}

/** Whether anything narrows the list (sorting does not). */
export function isFiltered(f: CaseFilters): boolean {
  return f.status.length + f.category.length + f.priority.length + f.flag.length > 0 || f.owner !== '' || f.specialist !== '' || f.overdue || f.code !== '';
}

const only = <T extends string>(values: readonly T[], input: unknown): T[] =>
  Array.isArray(input) ? input.filter((v): v is T => (values as readonly string[]).includes(v as string)) : [];

/** Reads filters back from storage, keeping only what is still valid. */
export function parseFilters(input: unknown): CaseFilters {
  const o = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  return {
    status: only(caseStatuses, o.status),
    category: only(caseCategories, o.category),
    priority: only(casePriorities, o.priority),
    flag: only(caseFlags, o.flag),
    owner: text(o.owner, 40),
    specialist: text(o.specialist, 40),
    overdue: o.overdue === true,
    code: text(o.code, 7),
    sort: (sortFields as readonly string[]).includes(o.sort as string) ? (o.sort as SortField) : 'updated',
    direction: o.direction === 'asc' ? 'asc' : 'desc',
  };
}

export interface SavedFilter {
  name: string;
  filters: CaseFilters;
}

const savedKey = (memberId: string) => `clearing.caseFilters.${memberId}`;

export function loadSavedFilters(memberId: string): SavedFilter[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(savedKey(memberId)) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((s): s is { name: string; filters: unknown } => typeof s?.name === 'string' && s.name.trim() !== '')
      .slice(0, 50)
      .map((s) => ({ name: s.name.slice(0, 60), filters: parseFilters(s.filters) }));
  } catch {
    return [];
  }
}

export function storeSavedFilters(memberId: string, saved: readonly SavedFilter[]): void {
  try {
    window.localStorage.setItem(savedKey(memberId), JSON.stringify(saved));
  } catch {
    // Storage full or disabled: the filters last for this page only.
  }
}

/** Adds or replaces a named filter. */
export function withSaved(saved: readonly SavedFilter[], name: string, filters: CaseFilters): SavedFilter[] {
  const clean = name.trim().slice(0, 60);
  return [...saved.filter((s) => s.name !== clean), { name: clean, filters }];
}

const currentKey = (memberId: string) => `clearing.caseFilters.current.${memberId}`;

/** The filters in use in this tab (sessionStorage: gone with the tab). */
export function loadCurrentFilters(memberId: string): CaseFilters {
  try {
    const raw = window.sessionStorage.getItem(currentKey(memberId));
    return raw ? parseFilters(JSON.parse(raw)) : emptyFilters;
  } catch {
    return emptyFilters;
  }
}

export function storeCurrentFilters(memberId: string, filters: CaseFilters): void {
  try {
    window.sessionStorage.setItem(currentKey(memberId), JSON.stringify(filters));
  } catch {
    // Storage disabled: the filters last for this page only.
  }
}
