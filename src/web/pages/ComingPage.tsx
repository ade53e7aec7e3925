import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useDocumentTitle } from '../title.js';
import { EmptyState } from '../ui/index.js';
import type { comingSections } from '../components/Layout.js';

/** Cases, Tasks, Search, Evidence: present in the navigation, empty until they are built. */
export function ComingPage({ section }: { section: (typeof comingSections)[number] }) {
  const { t } = useTranslation();
  const title = t(`ui.nav.${section}`);
  useDocumentTitle(title);
  return (
    <section aria-labelledby="coming-title" className="card">
      <h1 id="coming-title">{title}</h1>
      <EmptyState title={t('ui.coming.title')} testId="coming-empty">
        <p>{t(`ui.coming.${section}`)}</p>
        <Link to="/">{t('ui.coming.back')}</Link>
      </EmptyState>
    </section>
  );
}
