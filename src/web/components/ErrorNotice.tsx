import { useTranslation } from 'react-i18next';
import { errorMessage, isLanguage } from '../../core/index.js';
import type { ApiError } from '../api.js';

/** Field names the server's schemas use, as the reader knows them (ui.fields). */
const knownFields = [
  'name',
  'organizationName',
  'setupCode',
  'code',
  'recoveryCode',
  'token',
  'role',
  'expiresInHours',
  'actor',
  'passphrase',
  'defaultLanguage',
] as const;

/**
 * The field a server-side VALIDATION_FAILED names, from its detail
 * ("administrator/name must match pattern …" → "name"), or null.
 */
export function invalidField(detail: unknown): (typeof knownFields)[number] | null {
  if (typeof detail !== 'string') return null;
  const path = detail.split(';')[0]?.trim().split(' ')[0] ?? '';
  const last = path.split('/').filter(Boolean).pop() ?? '';
  return (knownFields as readonly string[]).includes(last) ? (last as (typeof knownFields)[number]) : null;
}

/**
 * An error from the server or the crypto core, in plain words of the reader's
 * language. The stable code stays out of the text (it means nothing to a
 * volunteer) and sits in `data-error-code` for support and tests.
 */
export function ErrorNotice({ error, testId }: { error: ApiError | null; testId?: string }) {
  const { t, i18n } = useTranslation();
  if (!error) return null;
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code} data-testid={testId}>
      {errorText(error, t, isLanguage(i18n.language) ? i18n.language : 'en')}
    </div>
  );
}

/** The words for an error: the web app's own (ui.errors), else core's table; never the server's English or a raw code. */
export function errorText(error: ApiError, t: (key: string, options?: Record<string, unknown>) => string, language: 'en' | 'ru'): string {
  if (error.code === 'VALIDATION_FAILED') {
    // The server's detail is English schema jargon: name the field in words instead.
    const field = invalidField(error.params.detail);
    return field ? t('ui.errors.validationField', { field: t(`ui.fields.${field}`) }) : t('ui.errors.validation');
  }
  const own = t(`ui.errors.${error.code}`, { ...error.params, defaultValue: '' });
  if (own) return own;
  const text = errorMessage(language, error.code, error.params);
  // Unknown code, or a parameter the server did not send: a plain sentence reads better than either.
  if (text === error.code || /\{\{\w+\}\}/.test(text)) return t('errors.INTERNAL');
  return text;
}
