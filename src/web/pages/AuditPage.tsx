import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  auditActions,
  auditLogKeyFingerprint,
  entryInHead,
  fromBase64url,
  type MemberSummary,
  type SignedTreeHead,
  type StoredAuditEntry,
} from '../../core/index.js';
import { type ApiError, toApiError } from '../api.js';
import { api } from '../api/client.js';
import { useMembers } from '../queries.js';
import { useSession } from '../session.js';
import { useDocumentTitle } from '../title.js';
import { checkMemberCertificate } from '../trust.js';
import { Button, Select, Table } from '../ui/index.js';
import { verifyAuditHistory, type HistoryResult } from '../audit-history.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { formatDateTimeSeconds } from '../format.js';

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

/**
 * Names for the ids in the log: the name the organization certified where
 * the certificate verifies under the pinned key, else the server's word,
 * marked as such. Ids the server does not list (removed long ago) stay ids.
 */
function useMemberNames(): Map<string, { name: string; verified: boolean }> {
  const session = useSession();
  const { data } = useMembers();
  const pinned = session.organizationKey;
  return useMemo(() => {
    const names = new Map<string, { name: string; verified: boolean }>();
    for (const m of (data ?? []) as MemberSummary[]) {
      const check = pinned ? checkMemberCertificate(pinned, m) : null;
      names.set(m.id, check?.state === 'valid' ? { name: check.member.name ?? m.name, verified: true } : { name: m.name, verified: false });
    }
    return names;
  }, [data, pinned]);
}

function MemberRef({ id, names }: { id: string | null; names: Map<string, { name: string; verified: boolean }> }) {
  const { t } = useTranslation();
  if (!id) return <>—</>;
  const known = names.get(id);
  if (!known) return <code title={id}>{id}</code>;
  return (
    <span title={id} className="member-ref">
      {known.name}
      {!known.verified && <span className="hint"> ({t('membership.unverifiedName')})</span>}
    </span>
  );
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
  useDocumentTitle(t('audit.title'));
  const names = useMemberNames();
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
      const page = await api.audit.entries(queryOf(f, before, head ? head.size : null));
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
    <section aria-labelledby="audit-title" className="card">
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
        <p className="hint audit-head" data-testid="audit-head">
          {t('audit.head', { size: history.head.size, time: formatDateTimeSeconds(history.head.timestamp, i18n.language) })}{' '}
          <code>{history.head.rootHash}</code>
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
          <p className="hint">
            <CommandHint text={t('audit.offlineHint', { command: '\u0001' })} command={t('ui.audit.offlineCommand')} />
          </p>
          <pre data-testid="audit-saved-head">{JSON.stringify({ logPublicKey: history.logPublicKey, head: verifiedHead })}</pre>
          <CopyButton text={JSON.stringify({ logPublicKey: history.logPublicKey, head: verifiedHead })} label={t('audit.copyHead')} />
        </details>
      )}
      <form onSubmit={submit} className="filters" aria-label={t('audit.filters')}>
        <Select
          id="audit-action"
          label={t('audit.action')}
          value={filters.action}
          onChange={(action) => setFilters({ ...filters, action })}
          options={[{ value: '', label: t('audit.anyAction') }, ...auditActions.map((a) => ({ value: a as string, label: actionName(a) }))]}
        />
        {/* A member by name, never a typed id the server would refuse as "not a uuid". */}
        <Select
          id="audit-actor"
          label={t('audit.member')}
          value={filters.actor}
          onChange={(actor) => setFilters({ ...filters, actor })}
          options={[{ value: '', label: t('ui.audit.anyMember') }, ...[...names.entries()].map(([id, n]) => ({ value: id, label: n.name }))]}
        />
        <div className="field">
          <label className="field-label" htmlFor="audit-from">
            {t('audit.from')}
          </label>
          <input
            id="audit-from"
            className="field-input"
            type="datetime-local"
            step={1}
            value={filters.from}
            onChange={(e) => setFilters({ ...filters, from: e.target.value })}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor="audit-to">
            {t('audit.to')}
          </label>
          <input
            id="audit-to"
            className="field-input"
            type="datetime-local"
            step={1}
            value={filters.to}
            onChange={(e) => setFilters({ ...filters, to: e.target.value })}
          />
        </div>
        <Button type="submit" variant="primary" isDisabled={busy}>
          {t('audit.apply')}
        </Button>
      </form>
      <ErrorNotice error={error} />
      {busy && <progress aria-label={t('app.loading')} />}
      <Table label={t('audit.caption')} className="audit-table" testId="audit-entries">
        <thead>
          <tr>
            <th scope="col">{t('ui.audit.entryNumber')}</th>
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
                {/* Numbered from 1, as the head counts entries; data-seq keeps the log's own 0-based number. */}
                {e.seq + 1}
                {e.altered && <strong className="danger-text"> {t('audit.entryAltered')}</strong>}
              </td>
              <td>{formatDateTimeSeconds(e.occurredAt, i18n.language)}</td>
              <td>{actionName(e.action)}</td>
              <td>
                <MemberRef id={e.actorId} names={names} />
              </td>
              <td>
                <MemberRef id={e.subjectId} names={names} />
              </td>
              <td>{detailText(e.detail)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {!busy && entries.length === 0 && <p className="hint">{t('audit.none')}</p>}
      {next !== null && (
        <Button onPress={() => void load(filters, next, verifiedHead)} isDisabled={busy}>
          {t('audit.older')}
        </Button>
      )}
    </section>
  );
}

/** A sentence with a command in it: the command set as code, not as literal backticks. */
function CommandHint({ text, command }: { text: string; command: string }) {
  const [before, after] = text.split('\u0001');
  return (
    <>
      {before}
      <code>{command}</code>
      {after}
    </>
  );
}

function safeFingerprint(key: string): string | null {
  try {
    return auditLogKeyFingerprint(fromBase64url(key, 32));
  } catch {
    return null;
  }
}
