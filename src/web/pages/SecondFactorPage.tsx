import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../title.js';
import { Navigate, useNavigate } from 'react-router';
import type { SecondFactorRequest } from '../../core/index.js';
import { ApiError, toApiError } from '../api.js';
import { totpCodeProblem } from '../../core/index.js';
import { api } from '../api/client.js';
import { Busy } from '../components/Busy.js';
import { CancelLogin } from '../components/CancelLogin.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { loginPathFor, takeReturnPath } from '../login-stage.js';
import { useSession } from '../session.js';
import { assertWithAuthenticator } from '../webauthn.js';

/** A security key or passkey when the member registered one, the code from the authenticator app, or one of the recovery codes when the phone is lost. */
export function SecondFactorPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('totp.secondFactorTitle'));
  const session = useSession();
  const navigate = useNavigate();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // Options for the member's security keys; null when none is registered (then only the code is offered).
  const [keyOptions, setKeyOptions] = useState<unknown>(null);

  const pending = session.status === 'second_factor';
  const loadKeyOptions = useCallback(async () => {
    try {
      setKeyOptions((await api.auth.webauthnOptions()).options);
    } catch {
      setKeyOptions(null);
    }
  }, []);
  useEffect(() => {
    if (pending) void loadKeyOptions();
  }, [pending, loadKeyOptions]);

  async function confirmWithKey() {
    if (!keyOptions) return;
    setBusy(true);
    setError(null);
    try {
      const assertion = await assertWithAuthenticator(keyOptions);
      const result = await api.auth.webauthn(assertion);
      await session.finishLogin(result.csrfToken);
      void navigate(takeReturnPath(), { replace: true });
    } catch (e) {
      setError(toApiError(e));
      // Each challenge answers once: fetch a new one for the next try.
      void loadKeyOptions();
    } finally {
      setBusy(false);
    }
  }

  if (session.status === 'loading') return <p aria-busy="true">{t('app.loading')}</p>;
  if (!busy && session.status !== 'second_factor') return <Navigate to={loginPathFor(session.status)} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    // The code's shape is checked here, in words, before anything is sent.
    if (!useRecovery && totpCodeProblem(value)) {
      setError(new ApiError('TOTP_CODE_FORMAT', 0, 'not a code'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: SecondFactorRequest = useRecovery ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, '') };
      const result = await api.auth.secondFactor(body);
      await session.finishLogin(result.csrfToken);
      void navigate(takeReturnPath(), { replace: true });
    } catch (e) {
      setError(toApiError(e));
      setValue('');
    } finally {
      setBusy(false);
    }
  }

  const fieldLabel = useRecovery ? t('totp.recoveryCode') : t('totp.code');
  return (
    <section aria-labelledby="second-factor-title" className="narrow">
      <h1 id="second-factor-title">{t('totp.secondFactorTitle')}</h1>
      {Boolean(keyOptions) && !useRecovery && (
        <div className="security-key" data-testid="security-key-option">
          <p>{t('totp.securityKeyPrompt')}</p>
          <button type="button" className="primary" disabled={busy} onClick={() => void confirmWithKey()}>
            {t('totp.useSecurityKey')}
          </button>
          {busy && <Busy label={t('totp.waitingForKey')} />}
        </div>
      )}
      <p>{useRecovery ? t('totp.recoveryPrompt') : keyOptions ? t('totp.orCode') : t('totp.codePrompt')}</p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <label htmlFor="second-factor">{fieldLabel}</label>
        <input
          id="second-factor"
          key={useRecovery ? 'recovery' : 'code'}
          inputMode={useRecovery ? 'text' : 'numeric'}
          autoComplete={useRecovery ? 'off' : 'one-time-code'}
          maxLength={useRecovery ? 40 : 7}
          required
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
          disabled={busy}
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || value.trim() === ''}>
          {t('totp.verify')}
        </button>
        {busy && <Busy label={t('auth.unlocking')} />}
      </form>
      <p>
        <button
          type="button"
          className="link"
          onClick={() => {
            setUseRecovery(!useRecovery);
            setValue('');
            setError(null);
          }}
        >
          {useRecovery ? t('totp.useCode') : t('totp.useRecovery')}
        </button>
      </p>
      <CancelLogin />
    </section>
  );
}
