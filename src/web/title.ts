import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** The tab says which page this is, in the reader's language: "Members — Clearing". */
export function useDocumentTitle(page: string | null): void {
  const { t } = useTranslation();
  const app = t('app.name');
  useEffect(() => {
    document.title = page ? t('ui.title', { page, app }) : app;
  }, [page, app, t]);
}
