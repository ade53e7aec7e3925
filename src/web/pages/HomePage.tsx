import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { fingerprint, type DirectoryEntry } from '../../core/index.js';
import { api, toApiError, type ApiError } from '../api.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { useOrganization } from '../organization.js';
import { useSession } from '../session.js';
import { verifyDirectory, type DirectoryCheck } from '../trust.js';

/** A member's start page: who they are to the organization, their own fingerprint, and the colleagues their client trusts. */
export function HomePage() {
  const { t } = useTranslation();
  const org = useOrganization();
  const session = useSession();
  const navigate = useNavigate();
  const [error, setError] = useState<ApiError | null>(null);
  const info = session.info;
  const keys = session.keys;
  const mine = keys ? fingerprint(keys.encryption.publicKey, keys.signing.publicKey) : null;

  async function logOutEverywhere() {
    try {
      await session.logOutEverywhere();
      void navigate('/login');
    } catch (e) {
      setError(toApiError(e));
    }
  }

  return (
    <>
      <section aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title', { organization: org.organization?.name ?? '' })}</h1>
        <p>{t('home.intro')}</p>
        {info && (
          <p data-testid="home-member">
            {t('home.signedInAs', { name: info.member.name, role: t(`members.roles.${info.member.role}`) })}
          </p>
        )}
        {info && !info.member.certified && (
          <p className="notice notice-warning" data-testid="not-certified">
            {t('home.notCertified')}
          </p>
        )}
        {session.ownCertificateProblem && (
          <div className="notice notice-error" role="alert">
            {t('home.ownCertificateProblem')} <code>{session.ownCertificateProblem}</code>
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
        <button type="button" onClick={() => void logOutEverywhere()}>
          {t('nav.logoutEverywhere')}
        </button>
      </section>
    </>
  );
}

/**
 * The directory as this browser verifies it: only members whose keys the
 * pinned organization key signed are listed; anything else is flagged,
 * because it means the server offered a key the organization never vouched for.
 */
function Colleagues() {
  const { t } = useTranslation();
  const session = useSession();
  const [checked, setChecked] = useState<DirectoryCheck<DirectoryEntry> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const pinned = session.organizationKey;

  const load = useCallback(async () => {
    if (!pinned) return;
    setError(null);
    try {
      const entries = await api<DirectoryEntry[]>('/api/members/directory');
      setChecked(verifyDirectory(pinned, entries));
    } catch (e) {
      setError(toApiError(e));
    }
  }, [pinned]);
  useEffect(() => {
    void load();
  }, [load]);

  const others = checked?.trusted.filter(({ entry }) => entry.id !== session.info?.member.id) ?? [];
  return (
    <section aria-labelledby="colleagues-title">
      <h2 id="colleagues-title">{t('home.colleaguesTitle')}</h2>
      <p>{t('home.colleaguesIntro')}</p>
      <ErrorNotice error={error} />
      {checked && checked.rejected.length > 0 && (
        <div className="notice notice-error" role="alert" data-testid="directory-substitution">
          <p>{t('errors.KEY_SUBSTITUTION')}</p>
          <ul>
            {checked.rejected.map(({ entry, code }) => (
              <li key={entry.id}>
                {entry.name} <code>{code}</code>
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
              <span className="colleague-name">{entry.name}</span> — {t(`members.roles.${member.role}`)}
              <Fingerprint value={member.fingerprint} label={t('members.fingerprint')} />
            </li>
          ))}
          {others.length === 0 && <li>{t('home.noColleagues')}</li>}
        </ul>
      )}
      <button type="button" onClick={() => void load()} data-testid="colleagues-refresh">
        {t('common.refresh')}
      </button>
    </section>
  );
}
