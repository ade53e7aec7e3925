import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { auditActions, auditLogKeyFingerprint, entryInHead, fromBase64url, type SignedTreeHead, type StoredAuditEntry } from '../../core/index.js';
import { api, ApiError, toApiError } from '../api.js';
import { verifyAuditHistory, type HistoryResult } from '../audit-history.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { formatDateTime } from '../format.js';

interface Filters {
  action: string;
  actor: string;
  from: string;
  to: string;
}

const pageSize = 50;
const noFilters: Filters = { action: '', actor: '', from: '', to: '' };

type ShownEntry = StoredAuditEntry & { proof?: string[]; altered: boolean };

function queryOf(filters: Filters, before: number | null, size: number | null): string {
  const q = new URLSearchParams({ limit: String(pageSize) });
  if (filters.action) q.set('action', filters.action);
  if (filters.actor.trim()) q.set('actor', filters.actor.trim());
  if (filters.from) q.set('from', new Date(filters.from).toISOString());
  if (filters.to) q.set('to', new Date(filters.to).toISOString());
  if (before !== null) q.set('before', String(before));
  if (size !== null) q.set('size', String(size));
  return q.toString();
}

const isUnfiltered = (f: Filters) => !f.action && !f.actor.trim() && !f.from && !f.to;

/** Action codes as words; a code this version does not know is shown as it is. */
function useActionName(): (action: string) => string {
  const { t } = useTranslation();
  return (action) => t(`audit.actions.${action.replace('.', '_')}`, { defaultValue: action });
}

/** Detail facts as words where this version knows them: roles by their names, reason codes by what they mean. */
function useDetailText(): (detail: StoredAuditEntry['detail']) => string {
  const { t } = useTranslation();
  const value = (v: string | number | boolean | null): string => {
    if (typeof v !== 'string') return String(v);
    return t(`members.roles.${v}`, { defaultValue: t(`audit.detailValues.${v}`, { defaultValue: v }) });
  };
  return (detail) =>
    Object.entries(detail)
      .map(([k, v]) => `${t(`audit.detailNames.${k}`, { defaultValue: k })}: ${value(v)}`)
      .join(', ');
}

/**
 * Administrators: the log of security-relevant actions, and whether its
 * history is the one this browser saw before. Entries are listed as of the
 * head just verified, each with a proof that the head commits to it, so the
 * server cannot show altered entries under a good head either.
 */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const actionName = useActionName();
  const detailText = useDetailText();
  const [history, setHistory] = useState<HistoryResult | null>(null);
  const [entries, setEntries] = useState<ShownEntry[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [filters, setFilters] = useState<Filters>(noFilters);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(true);
  const [missing, setMissing] = useState(false);

  const verifiedHead: SignedTreeHead | null = history && (history.check.status === 'first' || history.check.status === 'consistent') ? history.head : null;

  const load = useCallback(async (f: Filters, before: number | null, head: SignedTreeHead | null) => {
    setBusy(true);
    setError(null);
    try {
      const page = await api<{ entries: (StoredAuditEntry & { proof?: string[] })[]; nextBefore: number | null }>(
        `/api/audit/entries?${queryOf(f, before, head ? head.size : null)}`,
      );
      const shown = page.entries.map((e) => ({ ...e, altered: head !== null && !entryInHead(e, e.proof ?? [], head) }));
      // Proofs show that what is listed is in the log, not that nothing was left out; unfiltered, seqs must run without a gap.
      if (head !== null && isUnfiltered(f)) {
        const top = (before ?? head.size) - 1;
        const full = Math.min(pageSize, top + 1);
        if (shown.length !== full || shown.some((e, i) => e.seq !== top - i)) setMissing(true);
      }
      setEntries((old) => (before === null ? shown : [...old, ...shown]));
      setNext(page.nextBefore);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    let live = true;
    verifyAuditHistory().then(
      (result) => {
        if (!live) return;
        setHistory(result);
        const ok = result.check.status === 'first' || result.check.status === 'consistent';
        void load(noFilters, null, ok ? result.head : null);
      },
      (e: unknown) => {
        if (!live) return;
        setError(toApiError(e));
        void load(noFilters, null, null);
      },
    );
    return () => {
      live = false;
    };
  }, [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(filters, null, verifiedHead);
  }

  const status = history?.check.status;
  const altered = entries.filter((e) => e.altered).length;
  const logKey = history ? safeFingerprint(history.logPublicKey) : null;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t('audit.title')}</h1>
      {history && verifiedHead && (
        <div className="notice notice-ok" data-testid="audit-history" data-status={status}>
          {status === 'first' ? t('audit.historyFirst') : t('audit.historyConsistent')}
        </div>
      )}
      {history && !verifiedHead && (
        <div className="notice notice-error" role="alert" data-testid="audit-history" data-status={status}>
          {status === 'log_key_changed' ? t('audit.logKeyChanged') : status === 'bad_signature' ? t('audit.badSignature') : t('audit.historyRewritten')}
        </div>
      )}
      {altered > 0 && (
        <div className="notice notice-error" role="alert" data-testid="audit-entries-altered">
          {t('audit.entriesAltered', { count: altered })}
        </div>
      )}
      {missing && (
        <div className="notice notice-error" role="alert" data-testid="audit-entries-missing">
          {t('audit.entriesMissing')}
        </div>
      )}
      {history && (
        <p className="hint" data-testid="audit-head">
          {t('audit.head', { size: history.head.size, time: formatDateTime(history.head.timestamp, i18n.language) })} <code>{history.head.rootHash}</code>
        </p>
      )}
      {logKey && verifiedHead && (
        <>
          <p className="hint">{t('audit.logKey')}</p>
          <Fingerprint value={logKey} label={t('audit.logKey')} testId="audit-log-key" />
        </>
      )}
      {history && verifiedHead && (
        <details>
          <summary>{t('audit.offline')}</summary>
          <p className="hint">{t('audit.offlineHint')}</p>
          <pre data-testid="audit-saved-head">{JSON.stringify({ logPublicKey: history.logPublicKey, head: verifiedHead })}</pre>
          <CopyButton text={JSON.stringify({ logPublicKey: history.logPublicKey, head: verifiedHead })} label={t('audit.copyHead')} />
        </details>
      )}
      <form onSubmit={submit} className="filters" aria-label={t('audit.filters')}>
        <label htmlFor="audit-action">{t('audit.action')}</label>
        <select id="audit-action" value={filters.action} onChange={(e) => setFilters({ ...filters, action: e.target.value })}>
          <option value="">{t('audit.anyAction')}</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {actionName(a)}
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
      <table data-testid="audit-entries">
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
            <tr key={e.seq} className={e.altered ? 'altered' : undefined} data-seq={e.seq}>
              <td>
                {e.seq}
                {e.altered && <strong className="danger-text"> {t('audit.entryAltered')}</strong>}
              </td>
              <td>{formatDateTime(e.occurredAt, i18n.language)}</td>
              <td>{actionName(e.action)}</td>
              <td>
                <code title={e.actorId ?? undefined}>{e.actorId?.slice(0, 8) ?? '—'}</code>
              </td>
              <td>
                <code title={e.subjectId ?? undefined}>{e.subjectId?.slice(0, 8) ?? '—'}</code>
              </td>
              <td>{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!busy && entries.length === 0 && <p className="hint">{t('audit.none')}</p>}
      {next !== null && (
        <button type="button" onClick={() => void load(filters, next, verifiedHead)} disabled={busy}>
          {t('audit.older')}
        </button>
      )}
    </section>
  );
}

function safeFingerprint(key: string): string | null {
  try {
    return auditLogKeyFingerprint(fromBase64url(key, 32));
  } catch {
    return null;
  }
}
