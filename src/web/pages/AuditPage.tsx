import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auditActions, type AuditEntry } from '../../core/index.js';
import { api, ApiError, toApiError } from '../api.js';
import { verifyAuditHistory, type HistoryResult } from '../audit-history.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { formatDateTime } from '../format.js';

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

function queryOf(filters: Filters, before: number | null): string {
  const q = new URLSearchParams({ limit: '50' });
  if (filters.action) q.set('action', filters.action);
  if (filters.actor.trim()) q.set('actor', filters.actor.trim());
  if (filters.from) q.set('from', new Date(filters.from).toISOString());
  if (filters.to) q.set('to', new Date(filters.to).toISOString());
  if (before !== null) q.set('before', String(before));
  return q.toString();
}

/** Administrators: the log of security-relevant actions, and whether its history is the one this browser saw before. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [history, setHistory] = useState<HistoryResult | null>(null);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [filters, setFilters] = useState<Filters>({ action: '', actor: '', from: '', to: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (f: Filters, before: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api<{ entries: AuditEntry[]; nextBefore: number | null }>(`/api/audit/entries?${queryOf(f, before)}`);
      setEntries((old) => (before === null ? page.entries : [...old, ...page.entries]));
      setNext(page.nextBefore);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    verifyAuditHistory().then(setHistory, (e: unknown) => setError(toApiError(e)));
    void load({ action: '', actor: '', from: '', to: '' }, null);
  }, [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(filters, null);
  }

  const status = history?.check.status;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      {history && (status === 'first' || status === 'consistent') && (
        <div className="notice notice-ok" data-testid="audit-history" data-status={status}>
          {status === 'first' ? t('audit.historyFirst') : t('audit.historyConsistent')}
        </div>
      )}
      {history && status !== 'first' && status !== 'consistent' && (
        <div className="notice notice-error" role="alert" data-testid="audit-history" data-status={status}>
          {status === 'log_key_changed' ? t('audit.logKeyChanged') : status === 'bad_signature' ? t('audit.badSignature') : t('audit.historyRewritten')}
        </div>
      )}
      {history && (
        <p className="hint">
          {t('audit.head', { size: history.head.size, time: formatDateTime(history.head.timestamp, i18n.language) })} <code>{history.head.rootHash}</code>
        </p>
      )}
      <form onSubmit={submit} className="filters" aria-label={t('audit.filters')}>
        <label htmlFor="audit-action">{t('audit.action')}</label>
        <select id="audit-action" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })}>
          <option value="">{t('audit.anyAction')}</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <label htmlFor="audit-actor">{t('audit.member')}</label>
        <input id="audit-actor" value={filters.actor} onChange={(e) => setFilters({ ...filters, actor: e.target.value })} placeholder="00000000-0000-0000-0000-000000000000" />
        <label htmlFor="audit-from">{t('audit.from')}</label>
        <input id="audit-from" type="datetime-local" value={filters.from} onChange={(e) => setFilters({ ...filters, from: e.target.value })} />
        <label htmlFor="audit-to">{t('audit.to')}</label>
        <input id="audit-to" type="datetime-local" value={filters.to} onChange={(e) => setFilters({ ...filters, to: e.target.value })} />
        <button type="submit" disabled={busy}>
          {t('audit.apply')}
        </button>
      </form>
      <ErrorNotice error={error} />
      {busy && <progress aria-label={t('app.loading')} />}
      <table>
        <caption className="hint">{t('audit.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('audit.time')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.subject')}</th>
            <th scope="col">{t('audit.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatDateTime(e.occurredAt, i18n.language)}</td>
              <td>{e.action}</td>
              <td>
                <code>{e.actorId?.slice(0, 8) ?? '—'}</code>
              </td>
              <td>
                <code>{e.subjectId?.slice(0, 8) ?? '—'}</code>
              </td>
              <td>{Object.entries(e.detail).map(([k, v]) => `${k}: ${String(v)}`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next !== null && (
        <button type="button" onClick={() => void load(filters, next)} disabled={busy}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}
