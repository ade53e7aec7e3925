import { useTranslation } from 'react-i18next';
import { errorMessage, isLanguage } from '../../core/index.js';
import type { ApiError } from '../api.js';

/** An error from the server or the crypto core, in plain words of the reader's language, with its code for support. */
export function ErrorNotice({ error }: { error: ApiError | null }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  // The core's table covers the server's codes and the crypto core's (a wrong passphrase, a forged certificate).
  let text = errorMessage(isLanguage(i18n.language) ? i18n.language : 'en', error.code, error.params);
  // Unknown code, or a parameter the server did not send: its own message (already in the reader's language) reads better.
  if (text === error.code || /\{\{\w+\}\}/.test(text)) text = error.message && error.message !== error.code ? error.message : t('errors.INTERNAL');
  return (
    <div className="notice notice-error" role="alert">
      {text} <code>{error.code}</code>
    </div>
  );
}
