import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { NotificationView } from '../../core/api/casework.js';
import { toApiError, type ApiError } from '../api.js';
import { caseworkApi } from '../api/casework.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { formatDateTime } from '../format.js';
import { queryError } from '../queries.js';
import { useDocumentTitle } from '../title.js';
import { Button, EmptyState } from '../ui/index.js';
import { useNameOf } from './cases/workflow/colleagues.js';
import { caseworkKeys, useRefresh } from './cases/workflow/queries.js';

/**
 * What happened that concerns the member: a case assigned or escalated to
 * them, a request for access, a task given or overdue, a warning set. The
 * server sends kinds and ids only; the words are the catalogue's.
 */
export function NotificationsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('casework.inbox.title'));
  const refresh = useRefresh();
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const pages = useInfiniteQuery({
    queryKey: caseworkKeys.notifications,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => caseworkApi.notifications.list(pageParam),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const items = pages.data?.pages.flatMap((p) => p.notifications) ?? null;
  const unread = pages.data?.pages[0]?.unread ?? 0;

  async function mark(body: { ids: string[] } | { all: true }) {
    setBusy(true);
    setFailure(null);
    try {
      await caseworkApi.notifications.markRead(body);
      await refresh(caseworkKeys.notifications);
    } catch (e) {
      setFailure(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const error = failure ?? queryError(pages.error);
  return (
    <section aria-labelledby="notifications-title" className="card notifications">
      <h1 id="notifications-title">{t('casework.inbox.title')}</h1>
      <div className="notifications-head">
        <p data-testid="notifications-unread">{t('casework.inbox.unreadCount', { count: unread })}</p>
        {unread > 0 && (
          <Button isDisabled={busy} onPress={() => void mark({ all: true })} data-testid="notifications-read-all">
            {t('casework.inbox.markAllRead')}
          </Button>
        )}
      </div>
      <ErrorNotice error={error} />
      {items === null ? (
        !error && <Busy label={t('app.loading')} />
      ) : items.length === 0 ? (
        <EmptyState title={t('casework.inbox.none')} testId="notifications-empty">
          <p>{t('casework.inbox.noneBody')}</p>
        </EmptyState>
      ) : (
        <ul className="notification-list" data-testid="notifications">
          {items.map((n) => (
            <NotificationItem key={n.id} notification={n} busy={busy} onRead={() => void mark({ ids: [n.id] })} />
          ))}
        </ul>
      )}
      {pages.hasNextPage && (
        <Button isDisabled={pages.isFetchingNextPage} onPress={() => void pages.fetchNextPage()} data-testid="notifications-more">
          {t('casework.inbox.more')}
        </Button>
      )}
    </section>
  );
}

function NotificationItem({ notification: n, busy, onRead }: { notification: NotificationView; busy: boolean; onRead(): void }) {
  const { t, i18n } = useTranslation();
  const nameOf = useNameOf();
  const word = (block: string, value: unknown) => (typeof value === 'string' ? t(`casework.${block}.${value}`, { defaultValue: value }) : '');
  // A handover tells the new owner once per batch, with a count instead of a case.
  const batch = n.kind === 'assigned' && n.caseId === null;
  const text = t(batch ? 'casework.notifications.assignedBatch' : `casework.notifications.${n.kind}`, {
    count: typeof n.detail.cases === 'number' ? n.detail.cases : 0,
    actor: n.actorId ? nameOf(n.actorId) : t('casework.timeline.server'),
    code: n.caseCode ?? '',
    flag: word('flags.names', n.detail.flag),
    compartment: word('compartments', n.detail.compartment),
    // Inside a sentence, not at its start: the label's capital goes.
    kind: word('escalationKinds', n.detail.kind).toLocaleLowerCase(i18n.language),
  });
  const unread = n.readAt === null;
  return (
    <li className={unread ? 'notification unread' : 'notification'} data-testid="notification" data-kind={n.kind} data-unread={unread}>
      <div className="notification-text">
        {unread && <span className="unread-dot">{t('casework.inbox.new')}</span>}
        <span>{text}</span>
        <span className="hint">{formatDateTime(n.createdAt, i18n.language)}</span>
      </div>
      <div className="actions">
        {n.caseCode && (
          <Link
            to={`/cases/${n.caseCode}`}
            className="button button-secondary button-link"
            onClick={unread ? onRead : undefined}
            data-testid="notification-case"
          >
            {t('casework.inbox.openCase', { code: n.caseCode ?? '' })}
          </Link>
        )}
        {unread && (
          <Button variant="quiet" isDisabled={busy} onPress={onRead} data-testid="notification-read">
            {t('casework.inbox.markRead')}
          </Button>
        )}
      </div>
    </li>
  );
}
