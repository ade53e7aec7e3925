import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import type { Language } from '../../core/index.js';
import { api, ApiError } from '../api.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { switchLanguage } from '../i18n.js';
import { useOrganization } from '../organization.js';

export function SetupPage() {
  const { t, i18n } = useTranslation();
  const org = useOrganization();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState<Language>(i18n.language === 'ru' ? 'ru' : 'en');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  if (org.loading) return <p aria-busy="true">{t('app.loading')}</p>;
  if (org.setUp) return <Navigate to="/" replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api('/api/setup', { method: 'POST', body: { organizationName: name, defaultLanguage: language } });
      await switchLanguage(language);
      await org.reload();
      void navigate('/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('INTERNAL', 0, String(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="setup-title" className="narrow">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <label htmlFor="organization-name">{t('setup.organizationName')}</label>
        <input
          id="organization-name"
          name="organizationName"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-describedby="organization-name-hint"
          autoComplete="organization"
        />
        <p id="organization-name-hint" className="hint">
          {t('setup.organizationNameHint')}
        </p>
        <label htmlFor="default-language">{t('setup.defaultLanguage')}</label>
        <select id="default-language" value={language} onChange={(e) => setLanguage(e.target.value === 'ru' ? 'ru' : 'en')}>
          <option value="ru">Русский</option>
          <option value="en">English</option>
        </select>
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || name.trim() === ''}>
          {busy ? t('setup.submitting') : t('setup.submit')}
        </button>
        {busy && <progress aria-label={t('setup.submitting')} />}
      </form>
    </section>
  );
}
