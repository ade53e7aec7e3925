import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../title.js';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('errorPage.notFoundTitle'));
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title">{t('errorPage.notFoundTitle')}</h1>
      <p>{t('errorPage.notFoundBody')}</p>
      <Link to="/">{t('errorPage.backHome')}</Link>
    </section>
  );
}

/** Shown when a page throws while rendering: says so plainly and offers a way back. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <section aria-labelledby="error-title" role="alert">
      <h1 id="error-title">{t('errorPage.failedTitle')}</h1>
      <p>{t('errorPage.failedBody')}</p>
      <button type="button" onClick={() => window.location.reload()}>
        {t('errorPage.retry')}
      </button>{' '}
      <a href="/">{t('errorPage.backHome')}</a>
    </section>
  );
}
