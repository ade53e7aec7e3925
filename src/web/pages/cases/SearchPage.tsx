import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { compartmentFields, highlightMatches, matchesQuery, prepareSearch, type CompartmentKeyring, type TextSegment } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import type { CaseSummary } from '../../../core/api/index.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useSession } from '../../session.js';
import { useDocumentTitle } from '../../title.js';
import { Button, EmptyState, TextField } from '../../ui/index.js';
import { currentMe, openCase, openedEarlier } from './case-keys.js';
import { openRecord, type RecordContent } from './records.js';

interface Hit {
  key: string;
  caseId: string;
  code: string;
  compartment: string;
  text: string;
  verified: boolean;
}

type Segment = TextSegment;

/** The words of a record that search looks in, as one text. */
function textOf(content: RecordContent | null, compartment: string): string {
  if (!content) return '';
  if (content.kind === 'note') return content.text;
  if (content.kind === 'task') return content.title;
  const fields = (compartmentFields as Record<string, readonly string[]>)[compartment] ?? Object.keys(content.fields);
  return fields
    .map((f) => content.fields[f])
    .filter(Boolean)
    .join(' · ');
}

/** Around the first match only: a snippet, not the whole record on the screen. */
function snippet(segments: readonly Segment[], context = 80): Segment[] {
  const first = segments.findIndex((s) => s.hit);
  if (first < 0)
    return [
      {
        text: segments
          .map((s) => s.text)
          .join('')
          .slice(0, context * 2),
        hit: false,
      },
    ];
  return segments.map((s, i) => {
    if (s.hit) return s;
    if (i < first) return { text: s.text.length > context ? `…${s.text.slice(-context)}` : s.text, hit: false };
    return { text: s.text.length > context ? `${s.text.slice(0, context)}…` : s.text, hit: false };
  });
}

/**
 * One box over every case this member can open. The query's words are
 * stemmed and keyed here with each compartment's search key (the server sees
 * only blind tokens), so the keys of every case are opened first, case by
 * case, and kept in memory for this session. Hits are decrypted here and
 * shown as snippets with the words found marked.
 */
export function SearchPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('cases.search.title'));
  const session = useSession();
  const meId = session.info?.member.id;
  const [query, setQuery] = useState('');
  const [opening, setOpening] = useState<{ done: number; total: number } | null>({ done: 0, total: 0 });
  const [unopened, setUnopened] = useState(0);
  const [keyrings, setKeyrings] = useState<CompartmentKeyring[]>([]);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [more, setMore] = useState(false);
  const [asked, setAsked] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const cancelled = useRef(false);

  useEffect(() => {
    cancelled.current = false;
    void (async () => {
      try {
        const me = currentMe(meId);
        const cases: CaseSummary[] = [];
        let cursor: string | null = null;
        do {
          const page = await api.cases.list({ limit: 200, sort: 'updated', direction: 'desc', ...(cursor ? { cursor } : {}) });
          cases.push(...page.cases);
          cursor = page.nextCursor;
          if (cancelled.current) return;
          setOpening({ done: 0, total: page.total });
        } while (cursor);
        const rings: CompartmentKeyring[] = [];
        let failed = 0;
        let done = 0;
        let next = 0;
        // A few cases at a time: the requests overlap, the opening (local crypto) stays in order on the main thread.
        const worker = async () => {
          while (next < cases.length && !cancelled.current) {
            const summary = cases[next++] as CaseSummary;
            let earlier = openedEarlier(summary.id);
            if (!earlier || earlier.updatedAt !== summary.updatedAt) {
              const view = openCase(await api.cases.get(summary.id), me, session.organizationKey);
              if (view.state === 'tampered') failed += 1;
              earlier = openedEarlier(summary.id);
            }
            if (earlier) rings.push(...(Object.values(earlier.keyrings) as CompartmentKeyring[]));
            done += 1;
            setOpening({ done, total: cases.length });
          }
        };
        await Promise.all([worker(), worker(), worker(), worker()]);
        if (cancelled.current) return;
        setKeyrings(rings);
        setUnopened(failed);
        setOpening(null);
      } catch (e) {
        if (!cancelled.current) {
          setError(toApiError(e));
          setOpening(null);
        }
      }
    })();
    return () => {
      cancelled.current = true;
    };
  }, [meId, session.organizationKey]);

  async function search() {
    const words = query.trim();
    if (!words || keyrings.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const body = prepareSearch({ query: words, keyrings, limit: 100 });
      const answer = body ? await api.cases.search(body) : { hits: [], more: false };
      const found: Hit[] = [];
      for (const hit of answer.hits) {
        const earlier = openedEarlier(hit.caseId);
        const keyring = earlier?.keyrings[hit.compartment];
        if (!earlier || !keyring) continue;
        const record = openRecord(hit.record, { caseId: hit.caseId, compartment: hit.compartment }, keyring, earlier.certified);
        const text = textOf(record.content, hit.compartment);
        // Blind tokens are 8 bytes: a hit can match by chance, so it is shown only if its words really are there.
        if (record.verified && !matchesQuery(text, words)) continue;
        found.push({
          key: `${hit.caseId}:${hit.record.recordId}:${hit.record.version}`,
          caseId: hit.caseId,
          code: hit.code,
          compartment: hit.compartment,
          text,
          verified: record.verified,
        });
      }
      setHits(found);
      setMore(answer.more);
      setAsked(words);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="search-title" className="card search-page">
      <h1 id="search-title">{t('cases.search.title')}</h1>
      <p className="hint">{t('cases.search.intro')}</p>
      <form
        className="search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <TextField label={t('cases.search.label')} value={query} onChange={setQuery} maxLength={200} autoFocus inputTestId="search-input" />
        <Button type="submit" variant="primary" isDisabled={busy || opening !== null || !query.trim()} data-testid="search-submit">
          {t('cases.search.submit')}
        </Button>
      </form>
      {opening && (
        <div className="busy" role="status" aria-live="polite" data-testid="search-opening">
          <progress max={Math.max(opening.total, 1)} value={opening.done} aria-label={t('cases.search.opening')} />
          <span>{t('cases.search.openingCount', { done: opening.done, total: opening.total })}</span>
        </div>
      )}
      {unopened > 0 && (
        <p className="notice notice-warning" role="status">
          {t('cases.search.unopened', { count: unopened })}
        </p>
      )}
      {opening === null && !error && keyrings.length === 0 && <EmptyState title={t('cases.search.noCases')} testId="search-no-cases" />}
      <ErrorNotice error={error} />
      {busy && <Busy label={t('cases.search.searching')} />}
      {hits &&
        (hits.length === 0 ? (
          <EmptyState title={t('cases.search.none', { query: asked })} testId="search-empty" />
        ) : (
          <>
            <p role="status" data-testid="search-count">
              {more ? t('cases.search.countMore', { count: hits.length }) : t('cases.search.count', { count: hits.length })}
            </p>
            <ol className="search-hits" data-testid="search-hits">
              {hits.map((h) => (
                <li key={h.key} className="search-hit" data-testid="search-hit">
                  <p className="search-hit-head">
                    <Link to={`/cases/${h.code}`} className="case-code">
                      {h.code}
                    </Link>{' '}
                    <span className="hint">{t(`cases.compartment.${h.compartment}`)}</span>
                    {!h.verified && <span className="danger-text"> · {t('cases.records.badSignature')}</span>}
                  </p>
                  <p className="snippet">
                    {snippet(highlightMatches(h.text, asked)).map((s, i) =>
                      s.hit ? (
                        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity but their place
                        <mark key={i}>{s.text}</mark>
                      ) : (
                        // biome-ignore lint/suspicious/noArrayIndexKey: segments have no identity but their place
                        <span key={i}>{s.text}</span>
                      ),
                    )}
                  </p>
                </li>
              ))}
            </ol>
          </>
        ))}
    </section>
  );
}
