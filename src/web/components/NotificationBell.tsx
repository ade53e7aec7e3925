import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useUnreadCount } from '../pages/cases/workflow/queries.js';

/** The way to the notifications, with how many are unread: in words for screen readers, a number for the eye. */
export function NotificationBell({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const unread = useUnreadCount(enabled).data?.unread ?? 0;
  if (!enabled) return null;
  const label = unread > 0 ? t('casework.inbox.bellUnread', { count: unread }) : t('casework.inbox.bell');
  return (
    <NavLink to="/notifications" className="notification-bell" aria-label={label} title={label} data-testid="notification-bell" data-unread={unread}>
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" focusable="false">
        <path d="M12 3a6 6 0 0 0-6 6v4l-2 3v1h16v-1l-2-3V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0h-4Z" fill="currentColor" />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="notification-count">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}
