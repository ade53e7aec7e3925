import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router';
import { mayPerform, type Action } from '../../core/index.js';
import { useOrganization } from '../organization.js';
import { useSession } from '../session.js';
import { rememberReturnPath } from '../login-stage.js';
import { FirstUseCheck } from './FirstUseCheck.js';
import { TrustAlert } from './TrustAlert.js';
import { UnlockScreen } from './UnlockScreen.js';

/**
 * The frame of every page a member works in: sends visitors to setup or login,
 * refuses to go on when the organization key changed, and asks for the
 * passphrase while the keys are locked.
 */
export function RequireMember() {
  const { t } = useTranslation();
  const org = useOrganization();
  const session = useSession();
  const location = useLocation();
  if (org.loading || session.status === 'loading') return <p aria-busy="true">{t('app.loading')}</p>;
  if (!org.setUp) return <Navigate to="/setup" replace />;
  if (session.status === 'anonymous') {
    rememberReturnPath(location.pathname + location.search);
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  if (session.status === 'second_factor' || session.status === 'totp_enrollment') {
    rememberReturnPath(location.pathname + location.search);
    return <Navigate to={session.status === 'second_factor' ? '/login/second-factor' : '/login/totp'} replace />;
  }
  if (session.pin?.state === 'mismatch') {
    return (
      <section aria-labelledby="trust-title">
        <h1 id="trust-title">{t('trust.refusedTitle')}</h1>
        <TrustAlert pin={session.pin} onTrustNew={session.trustOfferedOrganizationKey} />
      </section>
    );
  }
  if (!session.unlocked) return <UnlockScreen />;
  if (session.pin?.state === 'unconfirmed') return <FirstUseCheck pin={session.pin} onConfirm={session.trustOfferedOrganizationKey} />;
  return <Outlet />;
}

/** A page only some roles may use (the policy table in core decides, as on the server). */
export function RequireAction({ action }: { action: Action }) {
  const { t } = useTranslation();
  const session = useSession();
  const actor = session.info ? { role: session.info.member.role, stage: session.info.stage, certified: session.info.member.certified } : null;
  if (!mayPerform(action, actor)) {
    return (
      <section aria-labelledby="forbidden-title">
        <h1 id="forbidden-title">{t('errorPage.forbiddenTitle')}</h1>
        <p>{t('errors.FORBIDDEN')}</p>
      </section>
    );
  }
  return <Outlet />;
}
