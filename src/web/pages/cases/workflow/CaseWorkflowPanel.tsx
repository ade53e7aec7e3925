import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseMoves, casePriorities, type CasePriority, type CaseStatus } from '../../../../core/index.js';
import { toApiError, type ApiError } from '../../../api.js';
import { caseworkApi } from '../../../api/casework.js';
import { ErrorNotice } from '../../../components/ErrorNotice.js';
import { Button, Select, useToast } from '../../../ui/index.js';
import { useNameOf } from './colleagues.js';
import { AssignDialog, CloseDialog, EscalateDialog, ReopenDialog } from './WorkflowDialogs.js';
import { FlagsSection } from './FlagsSection.js';
import { caseworkKeys, useRefresh } from './queries.js';
import type { CaseSlotProps } from './types.js';

type Open = 'close' | 'reopen' | 'assign' | 'escalate' | null;

/**
 * The workflow of one case: its status and the moves the workflow allows
 * from it (core's `caseMoves`, the same table the server enforces), closing
 * with an outcome and a reason, reopening, priority, the owner and the
 * specialists, and the warning flags.
 */
export function CaseWorkflowPanel({ detail, keys }: CaseSlotProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const refresh = useRefresh();
  const nameOf = useNameOf();
  const [open, setOpen] = useState<Open>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const summary = detail.case;
  const caseId = summary.id;
  const can = detail.abilities;
  const closed = summary.status === 'closed';
  // Closing asks for an outcome and reopening has its own endpoint: neither is a plain move.
  const moves = closed ? [] : caseMoves[summary.status].filter((to) => to !== 'closed');

  async function run(change: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await change();
      await refresh(caseworkKeys.case(caseId), caseworkKeys.cases);
      toast.show(done);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const move = (to: CaseStatus) => run(() => caseworkApi.workflow.move(caseId, to), t('casework.panel.moved', { status: t(`casework.statuses.${to}`) }));
  const prioritize = (priority: CasePriority) =>
    run(() => caseworkApi.workflow.priority(caseId, priority), t('casework.panel.prioritized', { priority: t(`casework.priorities.${priority}`) }));

  return (
    <section className="card workflow-panel" aria-labelledby={`workflow-${caseId}`} data-testid="case-workflow">
      <h2 id={`workflow-${caseId}`}>{t('casework.panel.title')}</h2>
      <dl className="workflow-facts">
        <div>
          <dt>{t('casework.panel.status')}</dt>
          <dd>
            <span className={`status-badge status-${summary.status}`} data-testid="workflow-status" data-status={summary.status}>
              {t(`casework.statuses.${summary.status}`)}
            </span>
            {closed && detail.outcome && (
              <span className="hint" data-testid="case-outcome">
                {' '}
                {t('casework.panel.closedWith', { outcome: t(`casework.outcomes.${detail.outcome}`, { defaultValue: detail.outcome }) })}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('casework.panel.owner')}</dt>
          <dd data-testid="case-owner">{nameOf(summary.ownerId)}</dd>
        </div>
        <div>
          <dt>{t('casework.panel.specialists')}</dt>
          <dd data-testid="case-specialists">
            {detail.specialists.length === 0
              ? t('casework.panel.noSpecialists')
              : detail.specialists.map((s) => (
                  <span key={s.memberId} className="specialist">
                    {nameOf(s.memberId)} <span className="hint">({t(`casework.escalationKinds.${s.kind}`)})</span>
                  </span>
                ))}
          </dd>
        </div>
      </dl>

      <ErrorNotice error={open ? null : error} testId="workflow-error" />

      {can.update && (
        <div className="workflow-row">
          {!closed && (
            <Select
              className="workflow-priority"
              label={t('casework.panel.priority')}
              value={summary.priority}
              disabled={busy}
              onChange={(p) => void prioritize(p)}
              options={casePriorities.map((p) => ({ value: p, label: t(`casework.priorities.${p}`) }))}
              data-testid="case-priority"
            />
          )}
          <div className="workflow-moves" role="group" aria-label={t('casework.panel.moves')}>
            {moves.map((to) => (
              <Button key={to} isDisabled={busy} onPress={() => void move(to)} data-testid={`move-${to}`}>
                {t('casework.panel.moveTo', { status: t(`casework.statuses.${to}`) })}
              </Button>
            ))}
            {closed ? (
              <Button variant="primary" isDisabled={busy} onPress={() => setOpen('reopen')} data-testid="case-reopen">
                {t('casework.panel.reopen')}
              </Button>
            ) : (
              <Button variant="danger" isDisabled={busy} onPress={() => setOpen('close')} data-testid="case-close">
                {t('casework.panel.close')}
              </Button>
            )}
          </div>
        </div>
      )}

      {!closed && (can.assign || can.escalate) && (
        <div className="workflow-row actions">
          {can.assign && (
            <Button isDisabled={busy} onPress={() => setOpen('assign')} data-testid="case-assign">
              {t('casework.panel.assign')}
            </Button>
          )}
          {can.escalate && (
            <Button isDisabled={busy} onPress={() => setOpen('escalate')} data-testid="case-escalate">
              {t('casework.panel.escalate')}
            </Button>
          )}
        </div>
      )}
      {!can.update && !can.assign && !can.escalate && <p className="hint">{t('casework.panel.readOnly')}</p>}

      <FlagsSection detail={detail} />

      {open === 'close' && <CloseDialog detail={detail} onDone={() => setOpen(null)} />}
      {open === 'reopen' && <ReopenDialog detail={detail} onDone={() => setOpen(null)} />}
      {open === 'assign' && <AssignDialog detail={detail} keys={keys} onDone={() => setOpen(null)} />}
      {open === 'escalate' && <EscalateDialog detail={detail} keys={keys} onDone={() => setOpen(null)} />}
    </section>
  );
}
