import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { caseCompartments, normalizeCaseCode, type CaseCompartmentName } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { Busy } from '../../components/Busy.js';
import { ErrorNotice, errorText } from '../../components/ErrorNotice.js';
import { queryError, queryKeys, useInvalidate } from '../../queries.js';
import { useSession } from '../../session.js';
import { useDocumentTitle } from '../../title.js';
import { currentMe, openCase, type CaseView } from './case-keys.js';
import { ExportCaseButton } from './ExportCaseButton.js';
import { CompartmentPanel } from './CompartmentPanel.js';
import { HoldersPanel } from './HoldersPanel.js';
import { finishRotations, rotationsICanDo, type RotationProgress } from './rotation.js';
import { RotationProgressView } from './RotationProgressView.js';
import { CaseTasksTab, CaseTimelineTab, CaseWorkflowPanel } from './workflow/index.js';

/**
 * One case: its plaintext header (code, status, category, priority, flags),
 * a tab per compartment with what this member can open, and the holders.
 * The chain is audited before anything is opened; when the server's story
 * does not add up the case is shown as tampered with and nothing is sealed.
 * Rotations a removal left pending, and that this member can do, are
 * finished as the page opens.
 */
export function CasePage() {
  const { t, i18n } = useTranslation();
  const params = useParams();
  const code = normalizeCaseCode(params.code ?? '');
  useDocumentTitle(code ?? t('cases.list.title'));
  const session = useSession();
  const invalidate = useInvalidate();
  const meId = session.info?.member.id;
  const pinned = session.organizationKey;
  const found = useQuery({
    queryKey: [...queryKeys.cases, 'by-code', code],
    queryFn: () => api.cases.byCode(code as string),
    enabled: code !== null,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const caseId = found.data?.caseId ?? null;
  const detail = useQuery({
    queryKey: [...queryKeys.cases, 'detail', caseId],
    queryFn: () => api.cases.get(caseId as string),
    enabled: caseId !== null,
  });
  const opened = useMemo<{ view: CaseView | null; error: ApiError | null }>(() => {
    if (!detail.data) return { view: null, error: null };
    try {
      return { view: openCase(detail.data, currentMe(meId), pinned), error: null };
    } catch (e) {
      return { view: null, error: toApiError(e) };
    }
  }, [detail.data, meId, pinned]);
  const view = opened.view;
  const openError = opened.error;

  const [progress, setProgress] = useState<RotationProgress | null>(null);
  const [rotationError, setRotationError] = useState<ApiError | null>(null);
  const started = useRef(new Set<string>());
  const pending = view?.state === 'open' && meId ? rotationsICanDo(view, meId) : [];
  useEffect(() => {
    if (view?.state !== 'open' || !meId || pending.length === 0) return;
    const key = `${view.detail.case.id}:${view.audited.head.seq}`;
    if (started.current.has(key)) return;
    started.current.add(key);
    setRotationError(null);
    void finishRotations(view.detail.case.id, currentMe(meId), pinned, setProgress, view.detail)
      .catch((e: unknown) => setRotationError(toApiError(e)))
      .finally(() => void invalidate(queryKeys.cases));
  }, [view, meId, pinned, pending.length, invalidate]);

  const [tab, setTab] = useState<string | null>(null);
  const firstHeld = view?.state === 'open' ? caseCompartments.find((c) => view.keyrings[c]) : undefined;
  const selected = tab ?? firstHeld ?? 'holders';

  if (!code) return <NotFound />;
  const error = queryError(found.error) ?? queryError(detail.error) ?? openError;
  if (error?.code === 'CASE_NOT_FOUND' || error?.code === 'NOT_FOUND') return <NotFound />;
  if (!view) {
    return (
      <section className="card">
        <ErrorNotice error={error} />
        {!error && <Busy label={t('cases.page.opening')} />}
      </section>
    );
  }
  const c = view.detail.case;
  const language = i18n.language === 'ru' ? 'ru' : 'en';
  const held = (name: CaseCompartmentName) => view.state === 'open' && view.keyrings[name] !== undefined;

  return (
    <>
      <section aria-labelledby="case-title" className="card case-head" data-testid="case-page" data-code={c.code}>
        <p className="breadcrumb">
          <Link to="/cases">{t('cases.list.title')}</Link>
        </p>
        <div className="page-head">
          <h1 id="case-title" className="case-code-title">
            {c.code}
          </h1>
          {/* What the keys open, encrypted to the named recipients; a tampered case offers nothing. */}
          {view.state === 'open' && Object.keys(view.keyrings).length > 0 && <ExportCaseButton view={view} />}
        </div>
        <ul className="case-facts" aria-label={t('cases.page.facts')}>
          <li data-testid="case-status">
            <span className="label">{t('cases.list.status')}</span> {t(`cases.status.${c.status}`)}
          </li>
          <li>
            <span className="label">{t('cases.list.category')}</span> {t(`cases.category.${c.category}`)}
          </li>
          <li className={`priority priority-${c.priority}`}>
            <span className="label">{t('cases.list.priority')}</span> {t(`cases.priority.${c.priority}`)}
          </li>
          {c.flags.map((f) => (
            <li key={f} className="flag">
              {t(`cases.flag.${f}`)}
            </li>
          ))}
        </ul>
        {view.state === 'tampered' && (
          <div className="notice notice-error tampered" role="alert" data-testid="case-tampered" data-error-code={view.error.code}>
            <h2>{t('cases.page.tamperedTitle')}</h2>
            <p>{errorText(view.error, t, language)}</p>
            <p>{t('cases.page.tamperedBody')}</p>
          </div>
        )}
        {progress && <RotationProgressView progress={progress} />}
        <ErrorNotice error={rotationError} />
      </section>
      <CaseWorkflowPanel
        detail={view.detail}
        keys={view.state === 'open' ? { audited: view.audited, keyrings: view.keyrings, head: view.audited.head } : null}
      />
      <section className="card case-body" aria-label={t('cases.page.content')}>
        <Tabs selectedKey={selected} onSelectionChange={(key) => setTab(String(key))}>
          <TabList aria-label={t('cases.page.tabs')} className="tabs">
            {caseCompartments.map((name) => (
              <Tab key={name} id={name} className="tab" data-testid={`tab-${name}`}>
                {t(`cases.compartment.${name}`)}
                {!held(name) && <span className="tab-note"> · {t('cases.page.noAccess')}</span>}
              </Tab>
            ))}
            <Tab id="holders" className="tab" data-testid="tab-holders">
              {t('cases.holders.title')}
            </Tab>
            <Tab id="tasks" className="tab">
              {t('casework.tasks.title')}
            </Tab>
            {view.detail.abilities.timeline && (
              <Tab id="timeline" className="tab">
                {t('casework.timeline.title')}
              </Tab>
            )}
          </TabList>
          {caseCompartments.map((name) => (
            <TabPanel key={name} id={name} className="tab-panel">
              <h2 className="visually-hidden">{t(`cases.compartment.${name}`)}</h2>
              <CompartmentPanel view={view} compartment={name} />
            </TabPanel>
          ))}
          <TabPanel id="holders" className="tab-panel">
            <h2 className="visually-hidden">{t('cases.holders.title')}</h2>
            <HoldersPanel view={view} onChanged={() => detail.refetch()} />
          </TabPanel>
          <TabPanel id="tasks" className="tab-panel">
            <CaseTasksTab
              detail={view.detail}
              keys={view.state === 'open' ? { audited: view.audited, keyrings: view.keyrings, head: view.audited.head } : null}
            />
          </TabPanel>
          <TabPanel id="timeline" className="tab-panel">
            <CaseTimelineTab detail={view.detail} keys={null} />
          </TabPanel>
        </Tabs>
      </section>
    </>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="case-not-found">
      <h1>{t('cases.page.notFoundTitle')}</h1>
      <p>{t('cases.page.notFound')}</p>
      <Link to="/cases">{t('cases.page.back')}</Link>
    </section>
  );
}
