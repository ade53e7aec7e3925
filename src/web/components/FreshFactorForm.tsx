import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FreshFactor } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { confirmWithAuthenticator } from '../webauthn.js';
import { Busy } from './Busy.js';
import { ErrorNotice } from './ErrorNotice.js';

/**
 * A change that needs a fresh second factor: a code from the authenticator
 * app, or (when the member has one) a security key. `children` are the
 * change's own fields, shown above.
 */
export function FreshFactorForm({
  submitLabel,
  busyLabel,
  hasAuthenticators,
  ready = true,
  onSubmit,
  children,
  testId,
}: {
  submitLabel: string;
  busyLabel: string;
  hasAuthenticators: boolean;
  /** The change's own fields are complete. */
  ready?: boolean;
  onSubmit(fresh: FreshFactor): Promise<void>;
  children?: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function run(get: () => Promise<FreshFactor>) {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(await get());
      setCode('');
    } catch (e) {
      setError(toApiError(e));
      setCode('');
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => ({ code: code.replace(/\s/g, '') }));
  }

  return (
    <form onSubmit={submit} aria-busy={busy} data-testid={testId}>
      {children}
      <label htmlFor={`${id}-code`}>{t('account.confirmCode')}</label>
      <input
        id={`${id}-code`}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,7}"
        maxLength={7}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        disabled={busy}
      />
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !ready || code.replace(/\s/g, '').length !== 6}>
          {submitLabel}
        </button>
        {hasAuthenticators && (
          <button type="button" disabled={busy || !ready} onClick={() => void run(confirmWithAuthenticator)}>
            {t('account.confirmWithKey')}
          </button>
        )}
      </div>
      {busy && <Busy label={busyLabel} />}
    </form>
  );
}
