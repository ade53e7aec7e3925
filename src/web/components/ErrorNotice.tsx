import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api.js';

/** An error from the server in plain words of the reader's language, with its code for support. */
export function ErrorNotice({ error }: { error: ApiError | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert">
      {t(`errors.${error.code}`, { ...error.params, defaultValue: t('errors.INTERNAL') })} <code>{error.code}</code>
    </div>
  );
}
