import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorMessage, isLanguage, type DirectoryEntry } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { api } from '../api/client.js';
import { queryKeys } from '../queries.js';
import { useDocumentTitle } from '../title.js';
import { Button, ConfirmDialog } from '../ui/index.js';
import { useQuery } from '@tanstack/react-query';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { useOrganization } from '../organization.js';
import { useSession } from '../session.js';
import { browserCounterStore, checkMembershipList, verifyDirectoryWithList, type MembershipCheck } from '../membership.js';
import type { DirectoryCheck } from '../trust.js';

/** A member's start page: who they are to the organization, their own fingerprint, and the colleagues their client trusts. */
export function HomePage() {
  const { t } = useTranslation();
  const org = useOrganization();
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  useDocumentTitle(t('nav.home'));
  const info = session.info;
  const mine = session.memberFingerprint;

  async function logOutEverywhere() {
    setBusy(true);
    try {
      await session.logOutEverywhere();
      void navigate('/login');
    } catch (e) {
      setError(toApiError(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <section aria-labelledby="home-title" className="card">
        <h1 id="home-title">{t('home.title', { organization: org.organization?.name ?? '' })}</h1>
        <p>{t('home.intro')}</p>
        {info && <p data-testid="home-member">{t('home.signedInAs', { name: info.member.name, role: t(`members.roles.${info.member.role}`) })}</p>}
        {info && !info.member.certified && (
          <p className="notice notice-warning" data-testid="not-certified">
            {t('home.notCertified')}
          </p>
        )}
        {session.ownCertificateProblem && (
          <div className="notice notice-error" role="alert">
            {t('home.ownCertificateProblem')} {t(`membership.reasons.${session.ownCertificateProblem}`, { defaultValue: '' })}
          </div>
        )}
        {mine && (
          <>
            <p className="label">{t('home.yourFingerprint')}</p>
            <Fingerprint value={mine} label={t('home.yourFingerprint')} testId="my-fingerprint" />
            <p className="hint">{t('home.yourFingerprintHint')}</p>
          </>
        )}
      </section>
      <Colleagues />
      <section aria-labelledby="security-title">
        <h2 id="security-title">{t('home.securityTitle')}</h2>
        <p>{t('home.securityIntro')}</p>
        <ErrorNotice error={error} />
        <Button variant="danger" onPress={() => setConfirming(true)}>
          {t('nav.logoutEverywhere')}
        </Button>
        <ConfirmDialog
          open={confirming}
          title={t('ui.confirm.logoutEverywhereTitle')}
          confirmLabel={t('nav.logoutEverywhere')}
          danger
          busy={busy}
          confirmDisabled={busy}
          onConfirm={() => void logOutEverywhere()}
          onCancel={() => !busy && setConfirming(false)}
        >
          <p>{t('ui.confirm.logoutEverywhereBody')}</p>
        </ConfirmDialog>
      </section>
    </>
  );
}

/**
 * The directory as this browser verifies it: only members whose certificate
 * the pinned organization key signed AND whom the organization's signed
 * membership list (fresher than any this browser saw) has as active, with the
 * same name, role and keys, are listed — under the name the organization
 * certified. Anything else is flagged: the server offered something the
 * organization never vouched for, or no longer does.
 */
function Colleagues() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const pinned = session.organizationKey;
  // Directory and list are read and checked together: the check needs both from the same moment.
  const colleagues = useQuery({
    queryKey: [...queryKeys.directory, pinned ? 'pinned' : 'none'],
    enabled: pinned !== null,
    queryFn: async (): Promise<{ checked: DirectoryCheck<DirectoryEntry>; membership: MembershipCheck }> => {
      const [entries, listed] = await Promise.all([api.members.directory(), api.organization.membershipList()]);
      const membership = checkMembershipList(pinned!, listed, browserCounterStore());
      return {
        membership,
        checked: membership.state === 'verified' ? verifyDirectoryWithList(pinned!, membership.list, entries) : { trusted: [], rejected: [] },
      };
    },
  });
  const checked = colleagues.data?.checked ?? null;
  const membership = colleagues.data?.membership ?? null;
  const error = colleagues.error ? toApiError(colleagues.error) : null;
  // Refresh also re-reads the session, so a certificate issued meanwhile shows at once.
  const load = async () => {
    await Promise.all([colleagues.refetch(), session.refresh()]);
  };

  const others = checked?.trusted.filter(({ entry }) => entry.id !== session.info?.member.id) ?? [];
  return (
    <section aria-labelledby="colleagues-title">
      <h2 id="colleagues-title">{t('home.colleaguesTitle')}</h2>
      <p>{t('home.colleaguesIntro')}</p>
      <ErrorNotice error={error} />
      {membership?.state === 'failed' && (
        <div className="notice notice-error" role="alert" data-testid="membership-failure">
          <h3>{t('membership.failureTitle')}</h3>
          <p>{errorMessage(isLanguage(i18n.language) ? i18n.language : 'en', membership.code)}</p>
          <p>{t('membership.failureAdvice')}</p>
        </div>
      )}
      {membership?.state === 'missing' && (
        <p className="notice notice-warning" data-testid="membership-missing">
          {t('membership.listMissing')}
        </p>
      )}
      {checked && checked.rejected.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="directory-substitution">
          <p>{t('errors.KEY_SUBSTITUTION')}</p>
          <ul>
            {checked.rejected.map(({ entry, code }) => (
              <li key={entry.id} data-testid="untrusted-entry">
                <span className="untrusted-name">{entry.name}</span> <span className="hint">({t('membership.asServerNames')})</span>:{' '}
                {t(`membership.reasons.${code}`, { defaultValue: t('membership.reasons.CERTIFICATE_INVALID') })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {!checked && !error && <Busy label={t('app.loading')} />}
      {checked && (
        <ul className="colleagues" data-testid="colleagues">
          {others.map(({ entry, member }) => (
            <li key={entry.id} data-testid="colleague">
              <span className="colleague-name">{member.name}</span> — {t(`members.roles.${member.role}`)}
              <Fingerprint value={member.fingerprint} label={t('members.fingerprint')} />
            </li>
          ))}
          {others.length === 0 && <li>{t('home.noColleagues')}</li>}
        </ul>
      )}
      {membership?.state === 'verified' && (
        <p className="hint" data-testid="membership-counter">
          {t('membership.listInfo', { counter: membership.list.counter })}
        </p>
      )}
      <Button onPress={() => void load()} data-testid="colleagues-refresh">
        {t('common.refresh')}
      </Button>
    </section>
  );
}
