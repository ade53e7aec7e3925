import { useCallback, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassphrase, toBase64url, unlockMember, wipeMemberKeys, type ChangePassphraseRequest, type MyKeysResponse } from '../../../core/index.js';
import { api, toApiError, type ApiError } from '../../api.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { PassphraseFields } from '../../components/PassphraseFields.js';
import { nextPaint, useSession } from '../../session.js';

/**
 * A new passphrase for the same keys: the bundle is re-wrapped in this
 * browser (Argon2id, several seconds) and the server swaps bundle and hash,
 * spending a fresh TOTP code in the same transaction.
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
      const mine = await api<MyKeysResponse>('/api/me/keys');
      // Opening the bundle with the current passphrase checks it here, and gives the key that proves it to the server.
      const opened = await unlockMember(current, mine.keyBundle);
      wipeMemberKeys(opened.keys);
      const currentAuthKey = toBase64url(opened.authKey);
      opened.authKey.fill(0);
      const changed = await changePassphrase(current, next, mine.keyBundle);
      const body: ChangePassphraseRequest = { currentAuthKey, keyBundle: changed.bundle, authKey: toBase64url(changed.authKey), code: code.replace(/\s/g, '') };
      changed.authKey.fill(0);
      await api('/api/me/passphrase', { method: 'POST', body });
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
        <input id={`${id}-current`} type="password" autoComplete="current-password" spellCheck={false} required value={current} onChange={(e) => setCurrent(e.target.value)} disabled={busy} />
        <PassphraseFields key={formKey} userInputs={names} onChange={onPassphrase} disabled={busy} />
        <label htmlFor={`${id}-code`}>{t('account.confirmCode')}</label>
        <input id={`${id}-code`} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,7}" maxLength={7} required value={code} onChange={(e) => setCode(e.target.value)} disabled={busy} />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || current === '' || !next || code.replace(/\s/g, '').length !== 6}>
          {t('account.changePassphrase')}
        </button>
        {busy && <Busy label={t('account.changingPassphrase')} testId="passphrase-busy" />}
      </form>
    </section>
  );
}
