import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { SessionSummary } from '../../../core/index.js';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { queryError, queryKeys, useInvalidate, useSessions } from '../../queries.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { formatDateTime } from '../../format.js';
import { useSession } from '../../session.js';

/** Where the member is logged in, with a coarse label only; any session can be ended, this one too. */
export function SessionsSection() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const [failure, setError] = useState<ApiError | null>(null);
  const { data: sessions, error: readError } = useSessions();
  const invalidate = useInvalidate();
  const error = failure ?? queryError(readError);

  function label(s: SessionSummary): string {
    if (!s.browser || !s.system) return t('account.unknownClient');
    return t('account.clientLabel', { browser: t(`account.browsers.${s.browser}`), system: t(`account.systems.${s.system}`) });
  }

  async function end(s: SessionSummary) {
    setError(null);
    try {
      const result = await api.me.endSession(s.id);
      if (result.current) {
        await session.logOut().catch(() => undefined);
        void navigate('/login');
        return;
      }
      await invalidate(queryKeys.sessions);
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <section aria-labelledby="account-sessions-title">
      <h2 id="account-sessions-title">{t('account.sessionsTitle')}</h2>
      <p>{t('account.sessionsIntro')}</p>
      <ErrorNotice error={error} />
      {sessions && (
        <ul className="sessions" data-testid="sessions">
          {sessions.map((s) => (
            <li key={s.id} data-testid="session" data-current={s.current}>
              <span className="session-label">
                {label(s)}
                {s.current && <span className="badge">{t('account.sessionThis')}</span>}
                {s.pending && <span className="badge">{t('account.sessionPending')}</span>}
              </span>
              <span className="hint">
                {t('account.sessionStarted', { date: formatDateTime(s.createdAt, i18n.language) })},{' '}
                {t('account.sessionSeen', { date: formatDateTime(s.lastSeenAt, i18n.language) })}
              </span>
              <span className="actions">
                <button type="button" className={s.current ? 'danger' : undefined} onClick={() => void end(s)}>
                  {s.current ? t('account.sessionEndThis') : t('account.sessionEnd')}
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
