import { useCallback, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import {
  createMember,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  memberNameProblem,
  organizationFingerprint,
  prepareSetup,
  setupCodeWellFormed,
  wipeMemberKeys,
  type Language,
} from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { api } from '../api/client.js';
import { useDocumentTitle } from '../title.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { NewAccountFields } from '../components/NewAccountFields.js';
import { TextField } from '../ui/index.js';
import { switchLanguage } from '../i18n.js';
import { newMemberId } from '../ids.js';
import { useOrganization } from '../organization.js';
import { nextPaint } from '../session.js';
import { browserPinStore, pinOrganizationKey } from '../trust.js';
import { browserCounterStore } from '../membership.js';

/**
 * First run: the organization key, the first administrator's keys and their
 * certificate are all made here, in the browser. The server receives public
 * keys, the encrypted key bundle, the organization key sealed to the
 * administrator, and the authentication key; never the passphrase.
 */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const org = useOrganization();
  const [setupCode, setSetupCode] = useState('');
  const [organizationName, setOrganizationName] = useState('');
  const [language, setLanguage] = useState<Language>(i18n.language === 'ru' ? 'ru' : 'en');
  const [adminName, setAdminName] = useState('');
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<{ fingerprint: string; adminName: string } | null>(null);
  const onPassphrase = useCallback((p: string | null) => setPassphrase(p), []);
  const [tried, setTried] = useState(false);
  useDocumentTitle(t('setup.title'));

  if (done) return <SetupDone fingerprint={done.fingerprint} adminName={done.adminName} />;
  if (org.loading) return <p aria-busy="true">{t('app.loading')}</p>;
  if (org.setUp) return <Navigate to="/" replace />;

  // Checked here, in words, before anything is sent; the server checks again.
  const codeError =
    setupCode.trim() !== '' && (tried || setupCode.replace(/[\s-]/g, '').length >= 16) && !setupCodeWellFormed(setupCode) ? t('ui.validation.setupCode') : null;
  const organizationError = tried && organizationName.trim() === '' ? t('ui.validation.organizationName') : null;
  const ready = setupCodeWellFormed(setupCode) && organizationName.trim() !== '' && memberNameProblem(adminName) === null && passphrase !== null && understood;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!ready || passphrase === null) return;
    setBusy(true);
    setError(null);
    const organization = generateOrganizationKey();
    try {
      await nextPaint();
      const organizationPublicKey = encodeOrganizationPublicKey(organization.publicKey);
      // The bundle binds the organization key: a first login elsewhere pins it from there, not from the server's word.
      const admin = await createMember(passphrase, undefined, undefined, organizationPublicKey);
      try {
        const request = prepareSetup(organization, {
          setupCode: setupCode.trim(),
          organizationName: organizationName.trim(),
          defaultLanguage: language,
          administrator: { id: newMemberId(), name: adminName.trim(), material: admin },
        });
        await api.setup.create(request);
        // This browser made the key: it is the first to trust it.
        pinOrganizationKey(browserPinStore(), organizationPublicKey);
        browserCounterStore().set(1);
      } finally {
        wipeMemberKeys(admin.keys);
        admin.authKey.fill(0);
        admin.auth.privateKey.fill(0);
      }
      setDone({ fingerprint: organizationFingerprint(organization.publicKey), adminName: adminName.trim() });
      await switchLanguage(language);
      await org.reload();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      organization.privateKey.fill(0);
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="setup-title" className="narrow card">
      <h1 id="setup-title">{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <fieldset disabled={busy}>
          <legend>{t('setup.codeLegend')}</legend>
          <TextField
            id="setup-code"
            name="setupCode"
            label={t('setup.code')}
            isRequired
            value={setupCode}
            onChange={setSetupCode}
            autoComplete="off"
            description={t('setup.codeHint')}
            error={codeError}
          />
        </fieldset>
        <fieldset disabled={busy}>
          <legend>{t('setup.organizationLegend')}</legend>
          <TextField
            id="organization-name"
            name="organizationName"
            label={t('setup.organizationName')}
            isRequired
            maxLength={120}
            value={organizationName}
            onChange={setOrganizationName}
            autoComplete="organization"
            description={t('setup.organizationNameHint')}
            error={organizationError}
          />
          <label htmlFor="default-language">{t('setup.defaultLanguage')}</label>
          <select id="default-language" value={language} onChange={(e) => setLanguage(e.target.value === 'ru' ? 'ru' : 'en')}>
            <option value="ru">Русский</option>
            <option value="en">English</option>
          </select>
        </fieldset>
        <NewAccountFields
          legend={t('setup.adminLegend')}
          name={adminName}
          onName={setAdminName}
          userInputs={[organizationName, adminName]}
          onPassphrase={onPassphrase}
          understood={understood}
          onUnderstood={setUnderstood}
          disabled={busy}
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || !ready}>
          {busy ? t('setup.submitting') : t('setup.submit')}
        </button>
        {busy && <Busy label={t('setup.generating')} />}
      </form>
    </section>
  );
}

function SetupDone({ fingerprint, adminName }: { fingerprint: string; adminName: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="setup-done-title" className="narrow">
      <h1 id="setup-done-title">{t('setup.done')}</h1>
      <p>{t('setup.fingerprintIntro')}</p>
      <Fingerprint value={fingerprint} label={t('trust.organizationFingerprint')} testId="organization-fingerprint" />
      <p>{t('setup.fingerprintShare')}</p>
      <p>{t('setup.nextLogin')}</p>
      <Link className="primary button-link" to="/login" state={{ name: adminName }}>
        {t('setup.continueToLogin')}
      </Link>
    </section>
  );
}
