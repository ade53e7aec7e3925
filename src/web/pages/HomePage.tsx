import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useOrganization } from '../organization.js';

export function HomePage() {
  const { t } = useTranslation();
  const org = useOrganization();
  if (org.loading) return <p aria-busy="true">{t('app.loading')}</p>;
  if (!org.setUp) return <Navigate to="/setup" replace />;
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.title', { organization: org.organization?.name ?? '' })}</h1>
      <p>{t('home.intro')}</p>
      <p>{t('home.nextSteps')}</p>
    </section>
  );
}
