import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { memberNameLimits, memberNameProblem } from '../../core/index.js';
import { TextField } from '../ui/index.js';
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
        <TextField
          id={`${id}-name`}
          name="memberName"
          label={t('auth.name')}
          isRequired
          value={props.name}
          onChange={props.onName}
          autoComplete="username"
          description={
            <>
              {t('auth.nameHint')}{' '}
              <span className="field-count">{t('ui.validation.nameLength', { count: [...props.name.trim()].length, max: memberNameLimits.max })}</span>
            </>
          }
          error={nameError(props.name, t)}
        />
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

/**
 * What is wrong with a new member's name, in words, as it is typed: too long
 * (said, not silently cut), or characters the server refuses. "Too short"
 * waits until there is something to judge.
 */
export function nameError(name: string, t: (key: string, options?: Record<string, unknown>) => string): string | null {
  const problem = memberNameProblem(name);
  if (problem === 'long') return t('ui.validation.nameLong', { max: memberNameLimits.max, count: [...name.trim()].length });
  if (problem === 'characters' && name.trim() !== '') return t('ui.validation.nameCharacters');
  if (problem === 'short' && name.trim().length === 1) return t('ui.validation.nameShort', { min: memberNameLimits.min });
  return null;
}
