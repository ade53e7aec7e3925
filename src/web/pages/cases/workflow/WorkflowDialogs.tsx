import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../core/api/cases.js';
import { closureReasons, escalationReasons, type ClosureReason, type EscalationReason } from '../../../../core/domain/casework.js';
import {
  caseCompartments,
  caseOutcomes,
  escalationCompartments,
  escalationKinds,
  mayHoldCompartment,
  type CaseOutcome,
  type EscalationKind,
} from '../../../../core/index.js';
import { toApiError, type ApiError } from '../../../api.js';
import { caseworkApi } from '../../../api/casework.js';
import { Busy } from '../../../components/Busy.js';
import { ErrorNotice } from '../../../components/ErrorNotice.js';
import { ConfirmDialog, Select, useToast } from '../../../ui/index.js';
import { currentSigner, grantable, grantsFor } from './case-crypto.js';
import { casekeeperRoles, useColleagues, type Colleague } from './colleagues.js';
import { caseworkKeys, useMyId, useRefresh } from './queries.js';
import type { CaseSlotProps } from './types.js';

interface DialogProps {
  detail: CaseDetail;
  onDone(): void;
}

/** One change from a dialog: busy while it runs, the error kept in the dialog, the case re-read before it closes. */
function useChange(detail: CaseDetail, onDone: () => void) {
  const refresh = useRefresh();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(change: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await change();
      await refresh(caseworkKeys.case(detail.case.id), caseworkKeys.cases);
      toast.show(done);
      onDone();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run, cancel: () => !busy && onDone() };
}

function Dialog({
  title,
  confirmLabel,
  disabled,
  danger,
  change,
  onConfirm,
  testId,
  children,
}: {
  title: string;
  confirmLabel: string;
  disabled?: boolean;
  danger?: boolean;
  change: ReturnType<typeof useChange>;
  onConfirm(): void;
  testId: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <ConfirmDialog
      open
      title={title}
      confirmLabel={confirmLabel}
      confirmDisabled={Boolean(disabled) || change.busy}
      danger={danger}
      busy={change.busy}
      onConfirm={onConfirm}
      onCancel={change.cancel}
      testId={testId}
    >
      {children}
      <ErrorNotice error={change.error} />
      {change.busy && <Busy label={t('casework.working')} />}
    </ConfirmDialog>
  );
}

/** Closing needs an outcome and a reason code; what happened in words belongs in an encrypted note. */
export function CloseDialog({ detail, onDone }: DialogProps) {
  const { t } = useTranslation();
  const change = useChange(detail, onDone);
  const [outcome, setOutcome] = useState<CaseOutcome | ''>('');
  const [reason, setReason] = useState<ClosureReason | ''>('');
  const code = detail.case.code;
  return (
    <Dialog
      title={t('casework.close.title', { code })}
      confirmLabel={t('casework.close.confirm')}
      danger
      disabled={outcome === '' || reason === ''}
      change={change}
      testId="close-dialog"
      onConfirm={() => {
        if (outcome && reason) void change.run(() => caseworkApi.workflow.close(detail.case.id, { outcome, reason }), t('casework.close.done', { code }));
      }}
    >
      <p>{t('casework.close.body')}</p>
      <Select
        label={t('casework.close.outcome')}
        value={outcome}
        onChange={setOutcome}
        options={[{ value: '' as const, label: t('casework.choose') }, ...caseOutcomes.map((o) => ({ value: o, label: t(`casework.outcomes.${o}`) }))]}
        data-testid="close-outcome"
      />
      <Select
        label={t('casework.close.reason')}
        value={reason}
        onChange={setReason}
        options={[{ value: '' as const, label: t('casework.choose') }, ...closureReasons.map((r) => ({ value: r, label: t(`casework.closureReasons.${r}`) }))]}
        data-testid="close-reason"
      />
      <p className="hint">{t('casework.close.hint')}</p>
    </Dialog>
  );
}

export function ReopenDialog({ detail, onDone }: DialogProps) {
  const { t } = useTranslation();
  const change = useChange(detail, onDone);
  const code = detail.case.code;
  return (
    <Dialog
      title={t('casework.reopen.title', { code })}
      confirmLabel={t('casework.reopen.confirm')}
      change={change}
      testId="reopen-dialog"
      onConfirm={() => void change.run(() => caseworkApi.workflow.reopen(detail.case.id), t('casework.reopen.done', { code }))}
    >
      <p>{t('casework.reopen.body')}</p>
    </Dialog>
  );
}

/** Colleagues who may take the case on: certified, listed, of a role the policy lets own cases, and not `exclude`. */
function usePeople(roles: readonly string[], exclude: readonly (string | null)[]): Colleague[] | null {
  const colleagues = useColleagues().data;
  if (!colleagues) return null;
  return [...colleagues.values()].filter((c) => roles.includes(c.role) && !exclude.includes(c.id)).sort((a, b) => a.name.localeCompare(b.name));
}

function PersonSelect({
  label,
  people,
  value,
  onChange,
  testId,
}: {
  label: string;
  people: Colleague[];
  value: string;
  onChange(id: string): void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      label={label}
      value={value}
      onChange={onChange}
      options={[
        { value: '', label: t('casework.choose') },
        ...people.map((p) => ({ value: p.id, label: t('casework.people.withRole', { name: p.name, role: t(`members.roles.${p.role}`) }) })),
      ]}
      data-testid={testId}
    />
  );
}

/** What the new member will be able to read, said before anything is sealed. */
function GrantNote({ compartments, keys }: { compartments: readonly string[]; keys: CaseSlotProps['keys'] }) {
  const { t } = useTranslation();
  if (!keys) return <p className="notice notice-warning">{t('casework.grants.noKeys')}</p>;
  if (compartments.length === 0) return <p className="hint">{t('casework.grants.nothing')}</p>;
  return (
    <p className="hint" data-testid="grant-note">
      {t('casework.grants.will', { compartments: compartments.map((c) => t(`casework.compartments.${c}`)).join(', ') })}
    </p>
  );
}

export function AssignDialog({ detail, keys, onDone }: DialogProps & Pick<CaseSlotProps, 'keys'>) {
  const { t } = useTranslation();
  const me = useMyId();
  const change = useChange(detail, onDone);
  const people = usePeople(casekeeperRoles, [detail.case.ownerId]);
  const [chosen, setChosen] = useState('');
  const person = people?.find((p) => p.id === chosen) ?? null;
  const allowed = person ? caseCompartments.filter((c) => mayHoldCompartment(detail.case.category, c, person.role)) : [];
  const compartments = person && me ? grantable(keys, me, person.id, allowed) : [];
  const code = detail.case.code;

  function assign() {
    if (!person || !me) return;
    void change.run(
      async () => {
        const grants = keys ? grantsFor({ keys, recipient: person.member, compartments, signer: currentSigner(me) }).grants : [];
        await caseworkApi.workflow.assign(detail.case.id, { memberId: person.id, grants });
      },
      t('casework.assign.done', { code, name: person.name }),
    );
  }

  return (
    <Dialog
      title={t('casework.assign.title', { code })}
      confirmLabel={t('casework.assign.confirm')}
      disabled={!person}
      change={change}
      onConfirm={assign}
      testId="assign-dialog"
    >
      <p>{t('casework.assign.body')}</p>
      {people === null ? (
        <Busy label={t('app.loading')} />
      ) : people.length === 0 ? (
        <p className="notice notice-warning">{t('casework.assign.nobody')}</p>
      ) : (
        <PersonSelect label={t('casework.assign.to')} people={people} value={chosen} onChange={setChosen} testId="assign-to" />
      )}
      {person && <GrantNote compartments={compartments} keys={keys} />}
    </Dialog>
  );
}

/**
 * Referral (the owner stays, the specialist joins) or transfer (the
 * specialist becomes the owner), with a reason code. The specialist's keys
 * (the escalation compartments the policy names) are sealed here and applied
 * with the escalation in one transaction.
 */
export function EscalateDialog({ detail, keys, onDone }: DialogProps & Pick<CaseSlotProps, 'keys'>) {
  const { t } = useTranslation();
  const me = useMyId();
  const change = useChange(detail, onDone);
  const people = usePeople(['specialist'], [detail.case.ownerId, ...detail.specialists.map((s) => s.memberId)]);
  const [chosen, setChosen] = useState('');
  const [kind, setKind] = useState<EscalationKind>('referral');
  const [reason, setReason] = useState<EscalationReason | ''>('');
  const person = people?.find((p) => p.id === chosen) ?? null;
  const allowed = person ? escalationCompartments(kind).filter((c) => mayHoldCompartment(detail.case.category, c, person.role)) : [];
  const compartments = person && me ? grantable(keys, me, person.id, allowed) : [];
  const code = detail.case.code;

  function escalate() {
    if (!person || !me || !reason) return;
    void change.run(
      async () => {
        const grants = keys ? grantsFor({ keys, recipient: person.member, compartments, signer: currentSigner(me) }).grants : [];
        await caseworkApi.workflow.escalate(detail.case.id, { specialistId: person.id, kind, reasonCode: reason, grants });
      },
      t('casework.escalate.done', { code, name: person.name }),
    );
  }

  return (
    <Dialog
      title={t('casework.escalate.title', { code })}
      confirmLabel={t('casework.escalate.confirm')}
      disabled={!person || reason === ''}
      change={change}
      onConfirm={escalate}
      testId="escalate-dialog"
    >
      {people === null ? (
        <Busy label={t('app.loading')} />
      ) : people.length === 0 ? (
        <p className="notice notice-warning">{t('casework.escalate.nobody')}</p>
      ) : (
        <PersonSelect label={t('casework.escalate.specialist')} people={people} value={chosen} onChange={setChosen} testId="escalate-to" />
      )}
      <fieldset className="choice-group">
        <legend>{t('casework.escalate.kind')}</legend>
        {escalationKinds.map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="escalation-kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`escalate-kind-${k}`} />
            <span>
              {t(`casework.escalationKinds.${k}`)}
              <span className="hint"> — {t(`casework.escalate.kindHint.${k}`)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <Select
        label={t('casework.escalate.reason')}
        value={reason}
        onChange={setReason}
        options={[
          { value: '' as const, label: t('casework.choose') },
          ...escalationReasons.map((r) => ({ value: r, label: t(`casework.escalationReasons.${r}`) })),
        ]}
        data-testid="escalate-reason"
      />
      {person && <GrantNote compartments={compartments} keys={keys} />}
    </Dialog>
  );
}
