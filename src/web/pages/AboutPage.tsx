import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../title.js';

export function AboutPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('about.title'));
  return (
    <section aria-labelledby="about-title">
      <h1 id="about-title">{t('about.title')}</h1>
      <p>{t('about.body')}</p>
    </section>
  );
}
