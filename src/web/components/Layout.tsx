import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { mayPerform } from '../../core/index.js';
import { useSession } from '../session.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/** The frame every page plugs into: skip link, header with navigation, session controls and language, main region. */
export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const actor = session.info ? { role: session.info.member.role, stage: session.info.stage, certified: session.info.member.certified } : null;
  const full = session.status === 'full';

  async function logOut() {
    await session.logOut().catch(() => undefined);
    void navigate('/login');
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <nav aria-label={t('nav.main')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
            {mayPerform('me.account', actor) && (
              <li>
                <NavLink to="/account">{t('nav.account')}</NavLink>
              </li>
            )}
            {mayPerform('members.list', actor) && (
              <li>
                <NavLink to="/members">{t('nav.members')}</NavLink>
              </li>
            )}
            {mayPerform('audit.read', actor) && (
              <li>
                <NavLink to="/audit">{t('nav.audit')}</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/about">{t('nav.about')}</NavLink>
            </li>
          </ul>
        </nav>
        {session.status !== 'loading' && session.status !== 'anonymous' && (
          <div className="session-controls" role="group" aria-label={t('nav.session')}>
            {session.info && (
              <span className="session-who" data-testid="session-member">
                {session.info.member.name}
              </span>
            )}
            {full && session.unlocked && (
              <button type="button" onClick={() => session.lock('manual')} data-testid="lock-button">
                {t('nav.lock')}
              </button>
            )}
            <button type="button" onClick={() => void logOut()} data-testid="logout-button">
              {t('nav.logout')}
            </button>
          </div>
        )}
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
