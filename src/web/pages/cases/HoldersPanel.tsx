import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseCompartments, mayHoldCompartment, prepareGrant, type CaseCompartmentName, type CertifiedMember } from '../../../core/index.js';
import { ApiError, toApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { queryKeys, useInvalidate } from '../../queries.js';
import { useSession } from '../../session.js';
import { Button, Checkbox, ConfirmDialog, Select } from '../../ui/index.js';
import { certifiedName, currentMe, openCase, signerOf, type OpenedCase, type TamperedCase } from './case-keys.js';
import { useTrustedDirectory } from './directory.js';
import { finishRotations, type RotationProgress } from './rotation.js';
import { RotationProgressView } from './RotationProgressView.js';

/**
 * Who holds each compartment, and the two ways that changes: a holder seals
 * a compartment's key to one more certified member (checked against the
 * pinned organization key and the signed membership list first); a manager
 * takes a member out of the case, after which every compartment they held
 * gets a new key, sealed to the others only.
 */
export function HoldersPanel({ view, onChanged }: { view: OpenedCase | TamperedCase; onChanged(): Promise<unknown> }) {
  const { t } = useTranslation();
  const session = useSession();
  const invalidate = useInvalidate();
  const directory = useTrustedDirectory();
  const meId = session.info?.member.id ?? '';
  const open = view.state === 'open' ? view : null;
  const abilities = view.detail.abilities;
  const category = view.detail.case.category;
  const [recipient, setRecipient] = useState('');
  const [chosen, setChosen] = useState<CaseCompartmentName[]>([]);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<RotationProgress | null>(null);
  const [grantProgress, setGrantProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const holdersOf = (c: CaseCompartmentName) => view.detail.compartments.find((s) => s.compartment === c)?.holders ?? [];
  const everyone = [...new Set(view.detail.compartments.flatMap((c) => c.holders))];
  const nameOf = (id: string) => certifiedName(view.certified, id) ?? t('cases.member.unverified');
  const candidate: CertifiedMember | null = directory.data?.byId(recipient) ?? null;
  const grantable = (m: CertifiedMember, c: CaseCompartmentName) =>
    open?.keyrings[c] !== undefined && mayHoldCompartment(category, c, m.role) && !holdersOf(c).includes(m.memberId);
  const candidates = (directory.data?.trusted ?? []).filter((m) => m.memberId !== meId && caseCompartments.some((c) => grantable(m, c)));

  async function grant() {
    if (!open || !candidate) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const me = currentMe(meId);
      const todo = chosen.filter((c) => grantable(candidate, c));
      setGrantProgress({ done: 0, total: todo.length });
      let current: OpenedCase = open;
      for (const [i, compartment] of todo.entries()) {
        const keyring = current.keyrings[compartment];
        if (!keyring) throw new ApiError('CASE_NOT_HOLDER', 0, 'not a holder');
        const { statement, sealedKey } = prepareGrant({
          audited: current.audited,
          compartment,
          keyring,
          recipient: candidate,
          signer: signerOf(me),
          at: new Date().toISOString(),
        });
        await api.cases.grant(view.detail.case.id, { statement, sealedKey });
        setGrantProgress({ done: i + 1, total: todo.length });
        // The chain grew by one statement: read and audit it again, so the next grant is signed on what the server now holds.
        const next = openCase(await api.cases.get(view.detail.case.id), me, session.organizationKey);
        if (next.state === 'tampered') throw next.error;
        current = next;
      }
      setNotice(t('cases.holders.granted', { name: candidate.name ?? '', count: todo.length }));
      setRecipient('');
      setChosen([]);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setGrantProgress(null);
      setBusy(false);
      await invalidate(queryKeys.cases);
      await onChanged();
    }
  }

  async function revoke(memberId: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.cases.revoke(view.detail.case.id, { memberId });
      const me = currentMe(meId);
      await finishRotations(view.detail.case.id, me, session.organizationKey, setProgress);
      setNotice(t('cases.holders.revoked', { name: nameOf(memberId) }));
      setRevoking(null);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
      await invalidate(queryKeys.cases);
      await onChanged();
    }
  }

  return (
    <div className="holders" data-testid="holders-panel">
      <table className="table holders-table">
        <caption className="visually-hidden">{t('cases.holders.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases.holders.compartment')}</th>
            <th scope="col">{t('cases.holders.members')}</th>
            <th scope="col" className="number">
              {t('cases.holders.epoch')}
            </th>
          </tr>
        </thead>
        <tbody>
          {view.detail.compartments.map((c) => (
            <tr key={c.compartment} data-testid={`holders-${c.compartment}`}>
              <th scope="row">{t(`cases.compartment.${c.compartment}`)}</th>
              <td>
                <ul className="holder-names">
                  {c.holders.map((id) => (
                    <li key={id} className={view.certified(id) ? undefined : 'danger-text'}>
                      {nameOf(id)}
                      {id === meId && <span className="badge"> {t('members.you')}</span>}
                      {c.pendingRemovals.some((r) => r.memberId === id) && <span className="badge badge-warning">{t('cases.holders.leaving')}</span>}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="number">{c.epoch + 1}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {notice && (
        <p className="notice notice-ok" role="status" data-testid="holders-notice">
          {notice}
        </p>
      )}
      {progress && (busy || progress.compartment !== null) && <RotationProgressView progress={progress} />}
      {!revoking && <ErrorNotice error={error} testId="holders-error" />}

      {open && abilities.grant && (
        <section className="subsection" aria-labelledby="grant-title">
          <h3 id="grant-title">{t('cases.holders.grantTitle')}</h3>
          <p className="hint">{t('cases.holders.grantIntro')}</p>
          {directory.data?.problem && (
            <p className="notice notice-error" role="alert">
              {t('cases.holders.directoryProblem')}
            </p>
          )}
          <Select
            id="grant-recipient"
            label={t('cases.holders.recipient')}
            value={recipient}
            onChange={(v) => {
              setRecipient(v);
              setChosen([]);
            }}
            options={[
              { value: '', label: t('cases.holders.choose') },
              ...candidates.map((m) => ({ value: m.memberId as string, label: `${m.name ?? ''} (${t(`members.roles.${m.role}`)})` })),
            ]}
            data-testid="grant-recipient"
          />
          {directory.data && candidates.length === 0 && <p className="hint">{t('cases.holders.nobodyToOffer')}</p>}
          {candidate && (
            <fieldset className="grant-compartments">
              <legend>{t('cases.holders.which')}</legend>
              {caseCompartments
                .filter((c) => grantable(candidate, c))
                .map((c) => (
                  <Checkbox
                    key={c}
                    checked={chosen.includes(c)}
                    onChange={(on) => setChosen((list) => (on ? [...list, c] : list.filter((x) => x !== c)))}
                    data-testid={`grant-${c}`}
                  >
                    {t(`cases.compartment.${c}`)}
                  </Checkbox>
                ))}
            </fieldset>
          )}
          <Button variant="primary" onPress={() => void grant()} isDisabled={busy || !candidate || chosen.length === 0} data-testid="grant-submit">
            {t('cases.holders.grant')}
          </Button>
          {grantProgress && (
            <div className="busy" role="status" aria-live="polite" data-testid="grant-progress">
              <progress max={grantProgress.total} value={grantProgress.done} aria-label={t('cases.holders.granting')} />
              <span>{t('cases.holders.grantingCount', { done: grantProgress.done, total: grantProgress.total })}</span>
            </div>
          )}
        </section>
      )}

      {open && abilities.revoke && (
        <section className="subsection" aria-labelledby="revoke-title">
          <h3 id="revoke-title">{t('cases.holders.revokeTitle')}</h3>
          <p className="hint">{t('cases.holders.revokeIntro')}</p>
          <ul className="revoke-list">
            {everyone
              .filter((id) => id !== meId)
              .map((id) => (
                <li key={id}>
                  <span>{nameOf(id)}</span>
                  <Button
                    variant="danger"
                    onPress={() => {
                      setProgress(null);
                      setError(null);
                      setRevoking(id);
                    }}
                    isDisabled={busy}
                    data-testid="revoke-member"
                    data-member-name={nameOf(id)}
                  >
                    {t('cases.holders.revoke')}
                  </Button>
                </li>
              ))}
          </ul>
        </section>
      )}

      {revoking && (
        <ConfirmDialog
          open
          danger
          title={t('cases.holders.revokeConfirmTitle', { name: nameOf(revoking) })}
          confirmLabel={t('cases.holders.revoke')}
          busy={busy}
          confirmDisabled={busy}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => !busy && setRevoking(null)}
          testId="revoke-dialog"
        >
          <p>{t('cases.holders.revokeConfirmBody', { name: nameOf(revoking) })}</p>
          <p className="notice notice-warning">{t('cases.holders.keepsWhatTheySaw', { name: nameOf(revoking) })}</p>
          {progress && <RotationProgressView progress={progress} />}
          <ErrorNotice error={error} />
        </ConfirmDialog>
      )}
    </div>
  );
}
