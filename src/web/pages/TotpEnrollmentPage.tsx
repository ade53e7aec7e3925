import QRCode from 'qrcode';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../title.js';
import { Navigate, useNavigate } from 'react-router';
import type { TotpConfirmResponse, TotpEnrollmentResponse } from '../../core/index.js';
import { ApiError, toApiError } from '../api.js';
import { totpCodeProblem } from '../../core/index.js';
import { api } from '../api/client.js';
import { Busy } from '../components/Busy.js';
import { CancelLogin } from '../components/CancelLogin.js';
import { CopyButton } from '../components/CopyButton.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { RecoveryCodes } from '../components/RecoveryCodes.js';
import { loginPathFor, takeReturnPath } from '../login-stage.js';
import { useSession } from '../session.js';
import { isCompleteCode, OneTimeCodeField } from '../components/OneTimeCodeField.js';

/** The first login: set up an authenticator app, prove it works, keep the recovery codes. */
export function TotpEnrollmentPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('totp.title'));
  const session = useSession();
  const navigate = useNavigate();
  const [enrollment, setEnrollment] = useState<(TotpEnrollmentResponse & { qr: string }) | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [recovery, setRecovery] = useState<TotpConfirmResponse | null>(null);
  // One enrollment request per visit: each one replaces the secret, and a second one racing the first would leave the QR code showing a dead secret.
  const requested = useRef(false);

  const enrolling = session.status === 'totp_enrollment';
  useEffect(() => {
    if (!enrolling || requested.current) return;
    requested.current = true;
    void (async () => {
      try {
        const data = await api.auth.totpEnrollment();
        const qr = await QRCode.toDataURL(data.uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
        setEnrollment({ ...data, qr });
      } catch (e) {
        setError(toApiError(e));
      }
    })();
  }, [enrolling]);

  if (session.status === 'loading') return <p aria-busy="true">{t('app.loading')}</p>;
  if (!recovery && !busy) {
    if (session.status !== 'totp_enrollment') return <Navigate to={loginPathFor(session.status)} replace />;
  }

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
      setRecovery(await api.auth.confirmTotpEnrollment(code.replace(/\s/g, '')));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  async function finish() {
    if (!recovery) return;
    setBusy(true);
    setError(null);
    try {
      await session.finishLogin(recovery.csrfToken);
      void navigate(takeReturnPath(), { replace: true });
    } catch (e) {
      setError(toApiError(e));
      setBusy(false);
    }
  }

  if (recovery) {
    return (
      <section aria-labelledby="recovery-title" className="narrow">
        <h1 id="recovery-title">{t('totp.recoveryTitle')}</h1>
        <RecoveryCodes codes={recovery.recoveryCodes} continueLabel={t('totp.continue')} busy={busy} onContinue={() => void finish()} />
        <ErrorNotice error={error} />
      </section>
    );
  }

  return (
    <section aria-labelledby="totp-title" className="narrow">
      <h1 id="totp-title">{t('totp.title')}</h1>
      <p>{t('totp.intro')}</p>
      {!enrollment && !error && <Busy label={t('app.loading')} />}
      {enrollment && (
        <>
          <img className="qr" src={enrollment.qr} alt={t('totp.qrAlt')} width={240} height={240} />
          <p>{t('totp.manual')}</p>
          <p>
            <code className="totp-secret" data-testid="totp-secret">
              {enrollment.secret}
            </code>{' '}
            <CopyButton text={enrollment.secret} label={t('common.copy')} />
          </p>
          <form onSubmit={(e) => void confirm(e)} aria-busy={busy}>
            <OneTimeCodeField id="totp-code" label={t('totp.code')} value={code} onChange={setCode} disabled={busy} />
            <ErrorNotice error={error} />
            <button type="submit" disabled={busy || !isCompleteCode(code)}>
              {t('totp.confirm')}
            </button>
          </form>
        </>
      )}
      {!enrollment && <ErrorNotice error={error} />}
      <CancelLogin />
    </section>
  );
}
