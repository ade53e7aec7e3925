import { useTranslation } from 'react-i18next';
import { organizationFingerprint } from '../../core/index.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { useSession } from '../session.js';
import { queryError, queryKeys, useAccount, useInvalidate } from '../queries.js';
import { useDocumentTitle } from '../title.js';
import { AuthenticatorsSection } from './account/AuthenticatorsSection.js';
import { PassphraseSection } from './account/PassphraseSection.js';
import { RecoveryCodesSection } from './account/RecoveryCodesSection.js';
import { SessionsSection } from './account/SessionsSection.js';
import { TotpSection } from './account/TotpSection.js';

/** The member's own account: passphrase, second factors, recovery codes, sessions, and the organization fingerprint again. */
export function AccountPage() {
  const { t } = useTranslation();
  const session = useSession();
  useDocumentTitle(t('account.title'));
  const { data: account, error } = useAccount();
  const invalidate = useInvalidate();
  const reload = () => invalidate(queryKeys.account);
  const hasAuthenticators = (account?.authenticators.length ?? 0) > 0;
  const orgFingerprint = session.organizationKey ? organizationFingerprint(session.organizationKey) : null;

  return (
    <div className="account">
      <section aria-labelledby="account-title">
        <h1 id="account-title">{t('account.title')}</h1>
        <p>{t('account.intro')}</p>
        <ErrorNotice error={queryError(error)} />
      </section>
      <section aria-labelledby="account-org-title">
        <h2 id="account-org-title">{t('account.organizationTitle')}</h2>
        {orgFingerprint ? (
          <Fingerprint value={orgFingerprint} label={t('account.organizationTitle')} testId="account-organization-fingerprint" />
        ) : (
          <p>{t('account.organizationUnavailable')}</p>
        )}
        <p className="hint">{t('account.organizationHint')}</p>
      </section>
      {account && (
        <>
          <AuthenticatorsSection authenticators={account.authenticators} hasAuthenticators={hasAuthenticators} onChange={reload} />
          <RecoveryCodesSection left={account.recoveryCodesLeft} hasAuthenticators={hasAuthenticators} onChange={reload} />
          <TotpSection hasAuthenticators={hasAuthenticators} />
        </>
      )}
      <PassphraseSection />
      <SessionsSection />
    </div>
  );
}
