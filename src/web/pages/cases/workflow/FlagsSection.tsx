import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../../core/api/cases.js';
import { flagRemovalReasons, type FlagRemovalReason } from '../../../../core/domain/casework.js';
import { caseFlags, type CaseFlag } from '../../../../core/index.js';
import { toApiError, type ApiError } from '../../../api.js';
import { caseworkApi } from '../../../api/casework.js';
import { Busy } from '../../../components/Busy.js';
import { ErrorNotice } from '../../../components/ErrorNotice.js';
import { Button, ConfirmDialog, Select, useToast } from '../../../ui/index.js';
import { caseworkKeys, useRefresh } from './queries.js';

/** Warnings on a case (impostor, safety, a deadline): anyone involved sets one; taking one off needs a reason code. */
export function FlagsSection({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  const toast = useToast();
  const refresh = useRefresh();
  const caseId = detail.case.id;
  const set = detail.case.flags;
  const unset = caseFlags.filter((f) => !set.includes(f));
  const [adding, setAdding] = useState<CaseFlag | ''>('');
  const [removing, setRemoving] = useState<CaseFlag | null>(null);
  const [reason, setReason] = useState<FlagRemovalReason | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(change: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    try {
      await change();
      await refresh(caseworkKeys.case(caseId), caseworkKeys.cases);
      toast.show(done);
      setRemoving(null);
      setAdding('');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="workflow-flags" data-testid="case-flags">
      <h3>{t('casework.flags.title')}</h3>
      {set.length === 0 ? (
        <p className="hint">{t('casework.flags.none')}</p>
      ) : (
        <ul className="flag-list">
          {set.map((flag) => (
            <li key={flag} className={`flag flag-${flag}`} data-testid="case-flag" data-flag={flag}>
              <span>{t(`casework.flags.names.${flag}`)}</span>
              <Button
                variant="quiet"
                isDisabled={busy}
                onPress={() => {
                  setReason('');
                  setError(null);
                  setRemoving(flag);
                }}
                aria-label={t('casework.flags.removeOne', { flag: t(`casework.flags.names.${flag}`) })}
                data-testid={`remove-flag-${flag}`}
              >
                {t('casework.flags.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {!removing && <ErrorNotice error={error} />}
      {unset.length > 0 && (
        <div className="inline-form flag-add">
          <Select
            label={t('casework.flags.add')}
            value={adding}
            onChange={setAdding}
            options={[{ value: '' as const, label: t('casework.choose') }, ...unset.map((f) => ({ value: f, label: t(`casework.flags.names.${f}`) }))]}
            data-testid="flag-to-add"
          />
          <Button
            isDisabled={busy || adding === ''}
            onPress={() => {
              if (adding) void run(() => caseworkApi.flags.set(caseId, adding), t('casework.flags.added', { flag: t(`casework.flags.names.${adding}`) }));
            }}
            data-testid="flag-add"
          >
            {t('casework.flags.addButton')}
          </Button>
        </div>
      )}
      {removing && (
        <ConfirmDialog
          open
          title={t('casework.flags.removeTitle', { flag: t(`casework.flags.names.${removing}`) })}
          confirmLabel={t('casework.flags.remove')}
          confirmDisabled={reason === '' || busy}
          busy={busy}
          onConfirm={() => {
            if (reason)
              void run(
                () => caseworkApi.flags.remove(caseId, removing, { reasonCode: reason }),
                t('casework.flags.removed', { flag: t(`casework.flags.names.${removing}`) }),
              );
          }}
          onCancel={() => !busy && setRemoving(null)}
          testId="remove-flag-dialog"
        >
          <p>{t('casework.flags.removeBody')}</p>
          <Select
            label={t('casework.flags.reason')}
            value={reason}
            onChange={setReason}
            options={[
              { value: '' as const, label: t('casework.choose') },
              ...flagRemovalReasons.map((r) => ({ value: r, label: t(`casework.flagRemovalReasons.${r}`) })),
            ]}
            data-testid="flag-removal-reason"
          />
          <ErrorNotice error={error} />
          {busy && <Busy label={t('casework.working')} />}
        </ConfirmDialog>
      )}
    </div>
  );
}
