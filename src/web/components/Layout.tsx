import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { mayPerform } from '../../core/index.js';
import { useSession } from '../session.js';
import { Button, Truncated, useToast } from '../ui/index.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { NotificationBell } from './NotificationBell.js';

/** The casework sections, in the order of the navigation. */
export const workSections = ['cases', 'tasks', 'search', 'evidence'] as const;
/** Casework to come: listed now so the layout has its final shape; each shows an empty state until it exists. */
export const comingSections = ['evidence'] as const;
const isComing = (section: string) => (comingSections as readonly string[]).includes(section);

/**
 * The frame every page plugs into: skip link, a sidebar with the navigation
 * (a top bar with a menu button at phone width), session controls and
 * language, and the main region.
 */
export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const toast = useToast();
  const [menuOpen, setMenuOpen] = useState(false);
  const actor = session.info ? { role: session.info.member.role, stage: session.info.stage, certified: session.info.member.certified } : null;
  const full = session.status === 'full';
  const member = full && mayPerform('me.account', actor);

  /** Cases and search only for the roles the policy table lets in; what is still coming is shown to every member. */
  const mayOpenSection = (section: (typeof workSections)[number]) =>
    section === 'cases' ? mayPerform('cases.list', actor) : section === 'search' ? mayPerform('cases.search', actor) : true;

  // A phone's menu closes once a page is chosen.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  async function logOut() {
    await session.logOut().catch(() => undefined);
    void navigate('/login');
  }

  function lock() {
    session.lock('manual');
    toast.show(t('ui.lock.done'), 'info');
  }

  return (
    <div className={menuOpen ? 'app-shell menu-open' : 'app-shell'}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <span className="brand-name">{t('app.name')}</span>
        <NotificationBell enabled={member} />
        <Button
          variant="quiet"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onPress={() => setMenuOpen((o) => !o)}
          data-testid="menu-button"
        >
          {menuOpen ? t('ui.nav.closeMenu') : t('ui.nav.openMenu')}
        </Button>
      </header>
      <aside id="sidebar" className="sidebar">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
          <NotificationBell enabled={member} />
        </div>
        <nav aria-label={t('nav.main')} className="sidebar-nav">
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
          </ul>
          {member && (
            <>
              <p className="nav-group" id="nav-work">
                {t('ui.nav.work')}
              </p>
              <ul aria-labelledby="nav-work">
                {workSections.filter(mayOpenSection).map((section) => (
                  <li key={section}>
                    {isComing(section) ? (
                      <NavLink to={`/${section}`} className="nav-coming">
                        {t(`ui.nav.${section}`)} <span className="nav-badge">{t('ui.nav.coming')}</span>
                      </NavLink>
                    ) : (
                      <NavLink to={`/${section}`} end={section === 'cases'}>
                        {t(`ui.nav.${section}`)}
                      </NavLink>
                    )}
                  </li>
                ))}
                {mayPerform('cases.handover', actor) && (
                  <li>
                    <NavLink to="/cases/handover">{t('casework.handover.title')}</NavLink>
                  </li>
                )}
              </ul>
            </>
          )}
          {(mayPerform('members.list', actor) || mayPerform('audit.read', actor)) && (
            <>
              <p className="nav-group" id="nav-organization">
                {t('ui.nav.organization')}
              </p>
              <ul aria-labelledby="nav-organization">
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
              </ul>
            </>
          )}
          <p className="nav-group" id="nav-you">
            {t('ui.nav.you')}
          </p>
          <ul aria-labelledby="nav-you">
            {mayPerform('me.account', actor) && (
              <li>
                <NavLink to="/account">{t('nav.account')}</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/about">{t('nav.about')}</NavLink>
            </li>
          </ul>
        </nav>
        <div className="sidebar-footer">
          {session.status !== 'loading' && session.status !== 'anonymous' && (
            <div className="session-controls" role="group" aria-label={t('nav.session')}>
              {session.info && <Truncated className="session-who" text={session.info.member.name} testId="session-member" />}
              <div className="session-buttons">
                {full && session.unlocked && (
                  <Button onPress={lock} data-testid="lock-button">
                    {t('nav.lock')}
                  </Button>
                )}
                <Button onPress={() => void logOut()} data-testid="logout-button">
                  {t('nav.logout')}
                </Button>
              </div>
            </div>
          )}
          <LanguageSwitch />
        </div>
      </aside>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
