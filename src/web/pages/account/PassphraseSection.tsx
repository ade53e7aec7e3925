import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { preparePassphraseChange, type ChangePassphraseRequest } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { PassphraseFields } from '../../components/PassphraseFields.js';
import { nextPaint, useSession } from '../../session.js';
import { isCompleteCode, OneTimeCodeField } from '../../components/OneTimeCodeField.js';

/**
 * A new passphrase for the same keys: the bundle is re-wrapped in this
 * browser (Argon2id twice, several seconds). The server gets a proof by the
 * current passphrase over a fresh challenge, the member's own signature over
 * the new bundle, and a fresh TOTP code, spent in the same transaction.
 */
export function PassphraseSection() {
  const { t } = useTranslation();
  const session = useSession();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  // PassphraseFields keeps its own state; a new key after success empties it.
  const [formKey, setFormKey] = useState(0);
  const onPassphrase = useCallback((accepted: string | null) => setNext(accepted), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!next) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await nextPaint();
      const mine = await api.me.keys();
      const { challenge } = await api.me.challenge({ purpose: 'passphrase-change' });
      // Opening the bundle with the current passphrase checks it here; a wrong one stops before anything is sent.
      const prepared = await preparePassphraseChange({
        memberId: session.info!.member.id,
        oldPassphrase: current,
        newPassphrase: next,
        bundle: mine.keyBundle,
        challenge,
        origin: window.location.origin,
      });
      const body: ChangePassphraseRequest = { ...prepared, code: code.replace(/\s/g, '') };
      await api.me.changePassphrase(body);
      setDone(true);
      setCurrent('');
      setFormKey((k) => k + 1);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setCode('');
      setBusy(false);
    }
  }

  const names = [session.info?.member.name ?? '', session.info?.organization.name ?? ''];
  return (
    <section aria-labelledby="account-passphrase-title">
      <h2 id="account-passphrase-title">{t('account.passphraseTitle')}</h2>
      <p>{t('account.passphraseIntro')}</p>
      {done && (
        <p className="notice notice-ok" role="status">
          {t('account.passphraseChanged')}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} aria-busy={busy} data-testid="change-passphrase">
        <label htmlFor={`${id}-current`}>{t('account.currentPassphrase')}</label>
        <input
          id={`${id}-current`}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          required
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          disabled={busy}
        />
        <PassphraseFields key={formKey} userInputs={names} onChange={onPassphrase} disabled={busy} />
        <OneTimeCodeField id={`${id}-code`} label={t('account.confirmCode')} value={code} onChange={setCode} disabled={busy} />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || current === '' || !next || !isCompleteCode(code)}>
          {t('account.changePassphrase')}
        </button>
        {busy && <Busy label={t('account.changingPassphrase')} testId="passphrase-busy" />}
      </form>
    </section>
  );
}
