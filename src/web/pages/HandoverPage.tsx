import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandoverCandidatesResponse, HandoverGrant } from '../../core/api/casework.js';
import { handoverBatchSize } from '../../core/domain/casework.js';
import { caseCompartments, isClearingError, mayHoldCompartment } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { caseworkApi } from '../api/casework.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { useSession } from '../session.js';
import { useDocumentTitle } from '../title.js';
import { Button, Checkbox, EmptyState, Select, useToast } from '../ui/index.js';
import { currentSigner, grantsFor, openKeysOf } from './cases/workflow/case-crypto.js';
import { useColleagues, type Colleague } from './cases/workflow/colleagues.js';
import { caseworkKeys, useRefresh } from './cases/workflow/queries.js';

type Candidate = HandoverCandidatesResponse['cases'][number];
/** Cases per request: small enough that the bar moves and an interruption loses little; the server takes up to handoverBatchSize. */
const batchSize = Math.min(20, handoverBatchSize);
/** Roles a caseload is handed between. */
const handoverRoles = ['coordinator', 'specialist', 'administrator'] as const;

interface Progress {
  total: number;
  done: number;
  moved: number;
  skipped: number;
  state: 'running' | 'interrupted' | 'finished';
}

/**
 * Hands a coordinator's caseload to another (one leaves, is away, is
 * overloaded): all of their cases or a chosen few, in batches with a
 * progress bar. For each case the new owner's keys are sealed here, from the
 * compartments this member holds, and sent with the batch. If it stops
 * (network, a closed laptop), Resume asks the server again which cases are
 * still the old owner's and goes on with those: a batch sent twice is
 * harmless.
 */
export function HandoverPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('casework.handover.title'));
  const id = useId();
  const session = useSession();
  const me = session.info?.member ?? null;
  const pinned = session.organizationKey;
  const toast = useToast();
  const refresh = useRefresh();
  const colleagues = useColleagues();
  const [fromId, setFromId] = useState('');
  const [toId, setToId] = useState('');
  const [all, setAll] = useState(true);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const stopped = useRef(false);

  const candidates = useQuery({
    queryKey: caseworkKeys.handoverCandidates(fromId),
    enabled: fromId !== '',
    queryFn: () => caseworkApi.handover.candidates(fromId),
  });

  if (me && me.role !== 'administrator' && me.role !== 'coordinator') {
    return (
      <section aria-labelledby="handover-title" className="card">
        <h1 id="handover-title">{t('casework.handover.title')}</h1>
        <p>{t('casework.handover.notForYou')}</p>
      </section>
    );
  }

  const people: Colleague[] = [...(colleagues.data?.values() ?? [])]
    .filter((c) => (handoverRoles as readonly string[]).includes(c.role))
    .sort((a, b) => a.name.localeCompare(b.name));
  const from = people.find((p) => p.id === fromId) ?? null;
  const to = people.find((p) => p.id === toId) ?? null;
  const cases = candidates.data?.cases ?? [];
  const chosen = all ? cases : cases.filter((c) => selected.has(c.caseId));
  const running = progress?.state === 'running';

  /** The grants `to` needs on one case, from what this member holds of it. */
  async function grantsOf(candidate: Candidate): Promise<HandoverGrant[]> {
    if (!me || !to) return [];
    const detail = await caseworkApi.detail(candidate.caseId);
    if (detail.myKeys.length === 0) return [];
    const keys = openKeysOf(detail, me.id, pinned);
    const allowed = caseCompartments.filter((c) => mayHoldCompartment(detail.case.category, c, to.role));
    return grantsFor({ keys, recipient: to.member, compartments: allowed, signer: currentSigner(me.id) }).grants.map((g) => ({
      caseId: candidate.caseId,
      ...g,
    }));
  }

  async function run(list: readonly Candidate[], before: Pick<Progress, 'total' | 'done' | 'moved' | 'skipped'>) {
    if (!from || !to) return;
    stopped.current = false;
    setError(null);
    let state: Progress = { ...before, state: 'running' };
    setProgress(state);
    try {
      for (let i = 0; i < list.length; i += batchSize) {
        if (stopped.current) throw new Error('stopped');
        const slice = list.slice(i, i + batchSize);
        const grants: HandoverGrant[] = [];
        const batch: Candidate[] = [];
        let refused = 0;
        for (const candidate of slice) {
          try {
            grants.push(...(await grantsOf(candidate)));
            batch.push(candidate);
          } catch (e) {
            // A case whose chain or keys do not check out is not sealed to anyone: it stays with its owner, counted as left.
            if (!isClearingError(e)) throw e;
            refused++;
          }
        }
        const answer =
          batch.length > 0
            ? await caseworkApi.handover.batch({ fromId: from.id, toId: to.id, caseIds: batch.map((c) => c.caseId), grants })
            : { moved: [], already: [], skipped: [] };
        state = {
          ...state,
          done: state.done + slice.length,
          moved: state.moved + answer.moved.length + answer.already.length,
          skipped: state.skipped + answer.skipped.length + refused,
        };
        setProgress(state);
      }
      setProgress({ ...state, state: 'finished' });
      toast.show(t('casework.handover.finished', { count: state.moved, from: from.name, to: to.name }));
    } catch (e) {
      setProgress({ ...state, state: 'interrupted' });
      if (!stopped.current) setError(toApiError(e));
    } finally {
      await refresh(caseworkKeys.handoverCandidates(from.id), caseworkKeys.cases);
    }
  }

  function start() {
    void run(chosen, { total: chosen.length, done: 0, moved: 0, skipped: 0 });
  }

  /** After an interruption: what is still the old owner's, of what was chosen. */
  async function resume() {
    if (!progress) return;
    const fresh = await candidates.refetch();
    const still = (fresh.data?.cases ?? []).filter((c) => all || selected.has(c.caseId));
    void run(still, { total: progress.done + still.length, done: progress.done, moved: progress.moved, skipped: progress.skipped });
  }

  const percent = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section aria-labelledby="handover-title" className="card handover">
      <h1 id="handover-title">{t('casework.handover.title')}</h1>
      <p>{t('casework.handover.intro')}</p>
      {colleagues.isPending ? (
        <Busy label={t('app.loading')} />
      ) : (
        <div className="handover-people">
          <Select
            label={t('casework.handover.from')}
            value={fromId}
            disabled={running}
            onChange={(v) => {
              setFromId(v);
              setSelected(new Set());
              setProgress(null);
            }}
            options={[
              { value: '', label: t('casework.choose') },
              ...people.map((p) => ({ value: p.id, label: t('casework.people.withRole', { name: p.name, role: t(`members.roles.${p.role}`) }) })),
            ]}
            data-testid="handover-from"
          />
          <Select
            label={t('casework.handover.to')}
            value={toId}
            disabled={running}
            onChange={setToId}
            options={[
              { value: '', label: t('casework.choose') },
              ...people
                .filter((p) => p.id !== fromId)
                .map((p) => ({ value: p.id, label: t('casework.people.withRole', { name: p.name, role: t(`members.roles.${p.role}`) }) })),
            ]}
            data-testid="handover-to"
          />
        </div>
      )}

      {from && (
        <div className="handover-cases">
          <h2 id={`${id}-cases`}>{t('casework.handover.casesOf', { name: from.name })}</h2>
          {candidates.isPending ? (
            <Busy label={t('app.loading')} />
          ) : cases.length === 0 && !progress ? (
            <EmptyState title={t('casework.handover.noCases')} testId="handover-none" />
          ) : (
            <>
              <fieldset className="choice-group" disabled={running}>
                <legend>{t('casework.handover.which')}</legend>
                <label className="choice">
                  <input type="radio" name={`${id}-scope`} checked={all} onChange={() => setAll(true)} data-testid="handover-all" />
                  <span>{t('casework.handover.all', { count: cases.length })}</span>
                </label>
                <label className="choice">
                  <input type="radio" name={`${id}-scope`} checked={!all} onChange={() => setAll(false)} data-testid="handover-some" />
                  <span>{t('casework.handover.some')}</span>
                </label>
              </fieldset>
              {!all && (
                <ul className="handover-list" aria-labelledby={`${id}-cases`}>
                  {cases.map((c) => (
                    <li key={c.caseId}>
                      <Checkbox
                        checked={selected.has(c.caseId)}
                        disabled={running}
                        onChange={(on) =>
                          setSelected((s) => {
                            const next = new Set(s);
                            if (on) next.add(c.caseId);
                            else next.delete(c.caseId);
                            return next;
                          })
                        }
                        data-testid="handover-case"
                      >
                        <span className="case-code">{c.code}</span> <span className="hint">{t(`casework.statuses.${c.status}`)}</span>
                      </Checkbox>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}

      <p className="hint">{t('casework.handover.grantsHint')}</p>
      <ErrorNotice error={error} testId="handover-error" />
      {progress && (
        <div className="handover-progress" data-testid="handover-progress" data-state={progress.state}>
          <label htmlFor={`${id}-bar`}>{t('casework.handover.progress', { done: progress.done, total: progress.total })}</label>
          <progress id={`${id}-bar`} max={100} value={percent} data-testid="handover-bar" />
          <p role="status" data-testid="handover-status">
            {progress.state === 'finished'
              ? t('casework.handover.done', { moved: progress.moved, skipped: progress.skipped })
              : progress.state === 'interrupted'
                ? t('casework.handover.interrupted', { done: progress.done, total: progress.total })
                : t('casework.handover.running')}
          </p>
        </div>
      )}
      <div className="actions">
        {running ? (
          <Button
            onPress={() => {
              stopped.current = true;
            }}
            data-testid="handover-stop"
          >
            {t('casework.handover.stop')}
          </Button>
        ) : progress?.state === 'interrupted' ? (
          <Button variant="primary" onPress={() => void resume()} data-testid="handover-resume">
            {t('casework.handover.resume')}
          </Button>
        ) : (
          <Button variant="primary" isDisabled={!from || !to || chosen.length === 0} onPress={start} data-testid="handover-start">
            {t('casework.handover.start', { count: chosen.length })}
          </Button>
        )}
      </div>
    </section>
  );
}
