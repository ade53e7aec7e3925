import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { estimateStrength, minimumPassphraseLength, passphraseProblem, type Strength } from '../passphrase.js';

/**
 * A new passphrase, typed twice, with a strength meter. Reports the
 * passphrase to the parent only once it is acceptable, so a form cannot be
 * submitted with a weak or mistyped one.
 */
export function PassphraseFields({
  userInputs,
  onChange,
  disabled = false,
}: {
  userInputs: string[];
  onChange(accepted: string | null): void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [strength, setStrength] = useState<Strength | null>(null);
  const inputsKey = userInputs.join('\u0000');

  useEffect(() => {
    if (passphrase === '') {
      setStrength(null);
      return;
    }
    let current = true;
    // Estimating is quick but not free; wait for a pause in typing.
    const timer = setTimeout(() => {
      void estimateStrength(passphrase, inputsKey.split('\u0000')).then((s) => {
        if (current) setStrength(s);
      });
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [passphrase, inputsKey]);

  const problem = passphraseProblem(passphrase, confirmation, strength);
  useEffect(() => {
    onChange(problem === null ? passphrase : null);
  }, [problem, passphrase, onChange]);

  const score = strength?.score ?? 0;
  const showMismatch = problem === 'mismatch' && confirmation.length > 0;
  return (
    <fieldset className="passphrase-fields" disabled={disabled}>
      <legend>{t('passphrase.legend')}</legend>
      <p className="hint" id={`${id}-advice`}>
        {t('passphrase.advice', { min: minimumPassphraseLength })}
      </p>
      <label htmlFor={`${id}-new`}>{t('passphrase.new')}</label>
      <input
        id={`${id}-new`}
        type="password"
        autoComplete="new-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        aria-describedby={`${id}-advice ${id}-strength`}
        spellCheck={false}
        required
      />
      <div className="strength" id={`${id}-strength`} aria-live="polite">
        <meter min={0} max={4} low={2} high={3} optimum={4} value={passphrase ? score : 0} aria-label={t('passphrase.strength')} />
        <span data-testid="passphrase-strength">{passphrase === '' ? '' : strength ? t(`passphrase.score${score}`) : t('passphrase.measuring')}</span>
        {problem === 'tooShort' && <span className="hint"> {t('passphrase.tooShort', { min: minimumPassphraseLength })}</span>}
        {problem === 'tooWeak' && strength && <span className="hint"> {t('passphrase.tooWeak')}</span>}
      </div>
      <label htmlFor={`${id}-confirm`}>{t('passphrase.confirm')}</label>
      <input
        id={`${id}-confirm`}
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={(e) => setConfirmation(e.target.value)}
        aria-invalid={showMismatch}
        aria-describedby={`${id}-mismatch`}
        spellCheck={false}
        required
      />
      <p className="hint" id={`${id}-mismatch`} aria-live="polite">
        {showMismatch ? t('passphrase.mismatch') : ''}
      </p>
    </fieldset>
  );
}
