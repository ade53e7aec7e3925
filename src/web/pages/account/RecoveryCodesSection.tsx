import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.js';
import { FreshFactorForm } from '../../components/FreshFactorForm.js';
import { RecoveryCodes } from '../../components/RecoveryCodes.js';

/** How many recovery codes are left; a new set (after a fresh second factor), kept on screen until saved. */
export function RecoveryCodesSection({ left, hasAuthenticators, onChange }: { left: number; hasAuthenticators: boolean; onChange(): Promise<void> }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);

  return (
    <section aria-labelledby="account-recovery-title">
      <h2 id="account-recovery-title">{t('account.recoveryTitle')}</h2>
      {codes ? (
        <RecoveryCodes
          codes={codes}
          continueLabel={t('account.recoveryDone')}
          onContinue={() => {
            setCodes(null);
            void onChange();
          }}
        />
      ) : (
        <>
          <p data-testid="recovery-left">{t('account.recoveryLeft', { count: left })}</p>
          <p className="hint">{t('account.recoveryIntro')}</p>
          {asking ? (
            <FreshFactorForm
              submitLabel={t('account.recoveryNew')}
              busyLabel={t('app.loading')}
              hasAuthenticators={hasAuthenticators}
              testId="new-recovery-codes"
              onSubmit={async (fresh) => {
                const made = await api.me.recoveryCodes(fresh);
                setAsking(false);
                setCodes(made.recoveryCodes);
              }}
            />
          ) : (
            <div className="actions">
              <button type="button" onClick={() => setAsking(true)}>
                {t('account.recoveryNew')}
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
