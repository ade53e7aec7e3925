import QRCode from 'qrcode';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpEnrollmentResponse } from '../../../core/index.js';
import { ApiError, toApiError } from '../../api.js';
import { totpCodeProblem } from '../../../core/index.js';
import { api } from '../../api/client.js';
import { CopyButton } from '../../components/CopyButton.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { FreshFactorForm } from '../../components/FreshFactorForm.js';
import { isCompleteCode, OneTimeCodeField } from '../../components/OneTimeCodeField.js';

/** Setting up the authenticator app again: a fresh factor, a new secret, and a code from it before the old one is replaced. */
export function TotpSection({ hasAuthenticators }: { hasAuthenticators: boolean }) {
  const { t } = useTranslation();
  const id = useId();
  const [stage, setStage] = useState<'idle' | 'confirming' | 'scanning' | 'done'>('idle');
  const [enrollment, setEnrollment] = useState<(TotpEnrollmentResponse & { qr: string }) | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    // The code's shape is checked here, in words, before anything is sent.
    if (totpCodeProblem(code)) {
      setError(new ApiError('TOTP_CODE_FORMAT', 0, 'not a code'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.me.confirmTotp(code.replace(/\s/g, ''));
      setEnrollment(null);
      setStage('done');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
      setCode('');
    }
  }

  return (
    <section aria-labelledby="account-totp-title">
      <h2 id="account-totp-title">{t('account.totpTitle')}</h2>
      <p>{t('account.totpIntro')}</p>
      {stage === 'done' && (
        <p className="notice notice-ok" role="status">
          {t('account.totpReplaced')}
        </p>
      )}
      {(stage === 'idle' || stage === 'done') && (
        <div className="actions">
          <button type="button" onClick={() => setStage('confirming')}>
            {t('account.totpStart')}
          </button>
        </div>
      )}
      {stage === 'confirming' && (
        <FreshFactorForm
          submitLabel={t('account.totpStart')}
          busyLabel={t('app.loading')}
          hasAuthenticators={hasAuthenticators}
          onSubmit={async (fresh) => {
            const data = await api.me.reenrollTotp(fresh);
            const qr = await QRCode.toDataURL(data.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
            setEnrollment({ ...data, qr });
            setStage('scanning');
          }}
        />
      )}
      {stage === 'scanning' && enrollment && (
        <>
          <p>{t('totp.intro')}</p>
          <img className="qr" src={enrollment.qr} alt={t('totp.qrAlt')} width={240} height={240} />
          <p>{t('totp.manual')}</p>
          <p>
            <code className="totp-secret" data-testid="account-totp-secret">
              {enrollment.secret}
            </code>{' '}
            <CopyButton text={enrollment.secret} label={t('common.copy')} />
          </p>
          <form onSubmit={(e) => void confirm(e)} aria-busy={busy}>
            <OneTimeCodeField id={`${id}-code`} label={t('account.totpNewCode')} value={code} onChange={setCode} disabled={busy} />
            <ErrorNotice error={error} />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy || !isCompleteCode(code)}>
                {t('account.totpReplace')}
              </button>
              <button type="button" onClick={() => setStage('idle')}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
