import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { PassphraseFields } from './PassphraseFields.js';

/**
 * A new member's name and passphrase, with the warning that a lost passphrase
 * cannot be recovered: the same on the setup page and when accepting an invitation.
 */
export function NewAccountFields(props: {
  legend: string;
  name: string;
  onName(name: string): void;
  /** Words the strength meter should treat as guessable (organization name, member name). */
  userInputs: string[];
  onPassphrase(accepted: string | null): void;
  understood: boolean;
  onUnderstood(value: boolean): void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <fieldset disabled={props.disabled}>
        <legend>{props.legend}</legend>
        <label htmlFor={`${id}-name`}>{t('auth.name')}</label>
        <input
          id={`${id}-name`}
          name="memberName"
          required
          minLength={2}
          maxLength={64}
          value={props.name}
          onChange={(e) => props.onName(e.target.value)}
          aria-describedby={`${id}-name-hint`}
          autoComplete="username"
        />
        <p id={`${id}-name-hint`} className="hint">
          {t('auth.nameHint')}
        </p>
      </fieldset>
      <PassphraseFields userInputs={props.userInputs} onChange={props.onPassphrase} disabled={props.disabled} />
      <div className="notice notice-warning">
        <p>{t('passphrase.noRecovery')}</p>
        <label className="checkbox">
          <input type="checkbox" checked={props.understood} onChange={(e) => props.onUnderstood(e.target.checked)} disabled={props.disabled} />
          {t('passphrase.understood')}
        </label>
      </div>
    </>
  );
}
