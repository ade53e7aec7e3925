import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../title.js';
import { toApiError, type ApiError } from '../api.js';
import { idleLockMs } from '../idle.js';
import { useSession } from '../session.js';
import { Busy } from './Busy.js';
import { ErrorNotice } from './ErrorNotice.js';

/** Shown in place of a member page while the keys are wiped: the session lives on, the keys need the passphrase again. */
export function UnlockScreen() {
  const { t } = useTranslation();
  useDocumentTitle(t('lock.title'));
  const session = useSession();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.unlock(passphrase);
      setPassphrase('');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="unlock-title" className="narrow" data-testid="unlock-screen">
      <h1 id="unlock-title">{t('lock.title')}</h1>
      <p>
        {session.lockReason === 'idle'
          ? t('lock.idle', { minutes: Math.round(idleLockMs / 60_000) })
          : session.lockReason === 'manual'
            ? t('lock.manual')
            : t('lock.reload')}
      </p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <p className="hint">{t('lock.signedInAs', { name: session.info?.member.name ?? '' })}</p>
        <label htmlFor="unlock-passphrase">{t('auth.passphrase')}</label>
        <input
          id="unlock-passphrase"
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.target.value)}
          required
          autoFocus
          disabled={busy}
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || passphrase === ''}>
          {t('lock.unlock')}
        </button>
        {busy && <Busy label={t('auth.deriving')} />}
      </form>
      <p>
        <button type="button" className="link" onClick={() => void session.logOut()}>
          {t('nav.logout')}
        </button>
      </p>
    </section>
  );
}
