import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FreshFactor } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { confirmWithAuthenticator } from '../webauthn.js';
import { Busy } from './Busy.js';
import { ErrorNotice } from './ErrorNotice.js';
import { isCompleteCode, OneTimeCodeField } from './OneTimeCodeField.js';

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
      <OneTimeCodeField id={`${id}-code`} label={t('account.confirmCode')} value={code} onChange={setCode} disabled={busy} required={false} />
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !ready || !isCompleteCode(code)}>
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
