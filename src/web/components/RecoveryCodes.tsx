import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';
import { Busy } from './Busy.js';
import { CopyButton } from './CopyButton.js';

/**
 * Warns before the page is left (reload, closing the tab, a link inside the
 * app) while `active`: recovery codes on screen exist nowhere else.
 */
export function useLeaveWarning(active: boolean, message: string): void {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show a prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
  const blocker = useBlocker(active);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(message)) blocker.proceed();
    else blocker.reset();
  }, [blocker, message]);
}

/**
 * Freshly made recovery codes: shown until the member confirms having saved
 * them, with a warning on any attempt to leave before that.
 */
export function RecoveryCodes({
  codes,
  continueLabel,
  busy = false,
  onContinue,
}: {
  codes: string[];
  continueLabel: string;
  busy?: boolean;
  onContinue(): void;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const [leaving, setLeaving] = useState(false);
  useLeaveWarning(!saved && !leaving, t('totp.leaveWarning'));
  return (
    <div className="recovery" data-testid="recovery-panel">
      <p>{t('totp.recoveryIntro')}</p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <CopyButton text={codes.join('\n')} label={t('totp.copyCodes')} />
      <label className="checkbox">
        <input type="checkbox" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        {t('totp.savedCodes')}
      </label>
      <button
        type="button"
        className="primary"
        disabled={!saved || busy}
        onClick={() => {
          setLeaving(true);
          onContinue();
        }}
      >
        {continueLabel}
      </button>
      {busy && <Busy label={t('auth.unlocking')} />}
    </div>
  );
}
