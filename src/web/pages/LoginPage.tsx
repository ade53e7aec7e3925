import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { toApiError, type ApiError } from '../api.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { TrustAlert } from '../components/TrustAlert.js';
import { useOrganization } from '../organization.js';
import { useSession } from '../session.js';
import { rememberReturnPath, takeReturnPath } from '../login-stage.js';
import { useDocumentTitle } from '../title.js';
import { browserPinStore, checkOrganizationPin } from '../trust.js';

/** Where each stage of a login continues. */
export const stagePaths = { totp_enrollment: '/login/totp', second_factor: '/login/second-factor', full: '/' } as const;

/**
 * Name and passphrase. The passphrase goes into Argon2id here; the server gets
 * only the authentication key derived from it, bound to a one-time challenge.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const org = useOrganization();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as { name?: string; from?: string };
  const [name, setName] = useState(state.name ?? '');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useDocumentTitle(t('auth.logIn'));

  if (org.loading || session.status === 'loading') return <p aria-busy="true">{t('app.loading')}</p>;
  if (!org.setUp) return <Navigate to="/setup" replace />;
  if (!busy && session.status !== 'anonymous') return <Navigate to={stagePaths[session.status]} replace />;

  // Warn before the passphrase is typed, not only after: compare without pinning (pinning waits for a real login).
  const pin = checkOrganizationPin(browserPinStore(), org.organization?.publicKey, { pinIfNew: false });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const stage = await session.logIn(name.trim(), passphrase);
      setPassphrase('');
      if (stage !== 'full' && state.from) rememberReturnPath(state.from);
      void navigate(stage === 'full' ? takeReturnPath(state.from) : stagePaths[stage], { replace: true });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="login-title" className="narrow">
      <h1 id="login-title">{t('auth.loginTitle', { organization: org.organization?.name ?? '' })}</h1>
      {pin.state === 'mismatch' && <TrustAlert pin={pin} />}
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <label htmlFor="login-name">{t('auth.name')}</label>
        <input id="login-name" autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} disabled={busy} />
        <label htmlFor="login-passphrase">{t('auth.passphrase')}</label>
        <input
          id="login-passphrase"
          type="password"
          autoComplete="current-password"
          required
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          disabled={busy}
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || name.trim() === '' || passphrase === ''}>
          {t('auth.logIn')}
        </button>
        {busy && <Busy label={t('auth.deriving')} />}
      </form>
      <p className="hint">{t('auth.passphraseNeverSent')}</p>
    </section>
  );
}
