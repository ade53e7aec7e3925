import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  createMember,
  fingerprint,
  invitationTokenWellFormed,
  memberNameProblem,
  prepareInvitationAcceptance,
  wipeMemberKeys,
  type InvitationLookupResponse,
} from '../../core/index.js';
import { ApiError, toApiError } from '../api.js';
import { api } from '../api/client.js';
import { useDocumentTitle } from '../title.js';
import { Checkbox } from '../ui/index.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { Fingerprint } from '../components/Fingerprint.js';
import { NewAccountFields } from '../components/NewAccountFields.js';
import { TrustAlert } from '../components/TrustAlert.js';
import { newMemberId } from '../ids.js';
import { nextPaint } from '../session.js';
import { browserPinStore, checkOrganizationPin, organizationFingerprintOf, pinOrganizationKey } from '../trust.js';
import { formatDateTime } from '../format.js';

/** The token travels in the fragment (`/invite#…`), which browsers never send to a server or put in a Referer. */
function tokenFromHash(): string {
  return decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();
}

/** Error messages that end with "ask for a new one" already. */
const selfAdvising = new Set(['INVITATION_INVALID', 'INVITATION_EXPIRED', 'INVITATION_REVOKED', 'INVITATION_LINK_INCOMPLETE']);

/**
 * The server answers "already used" when the link stopped working between
 * opening the page and joining, whether it was used or revoked meanwhile.
 * Asking again tells them apart: a revoked link no longer looks up at all.
 */
async function whyRefused(token: string, error: ApiError): Promise<ApiError> {
  if (error.code !== 'INVITATION_USED') return error;
  try {
    await api.invitations.lookup(token);
    return error;
  } catch (e) {
    const again = toApiError(e);
    return again.code === 'INVITATION_INVALID' ? new ApiError('INVITATION_REVOKED', again.status, 'revoked') : error;
  }
}

/**
 * Joining: compare the organization fingerprint with the one an administrator
 * gave through another channel, choose a passphrase, make keys here. The
 * organization key is pinned only after the person says the fingerprints match.
 */
export function InvitePage() {
  const { t, i18n } = useTranslation();
  const [token] = useState(tokenFromHash);
  const [lookup, setLookup] = useState<InvitationLookupResponse | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [matches, setMatches] = useState(false);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState<string | null>(null);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [joined, setJoined] = useState<{ name: string; fingerprint: string } | null>(null);
  const onPassphrase = useCallback((p: string | null) => setPassphrase(p), []);
  useDocumentTitle(t('invite.title'));

  useEffect(() => {
    if (!token) {
      setLoadError(new ApiError('INVITATION_INVALID', 0, 'no token'));
      return;
    }
    // A link cut short in copying: say so here, in words, instead of sending it.
    if (!invitationTokenWellFormed(token)) {
      setLoadError(new ApiError('INVITATION_LINK_INCOMPLETE', 0, 'malformed token'));
      return;
    }
    let current = true;
    api.invitations.lookup(token).then(
      (data) => current && setLookup(data),
      (e: unknown) => current && setLoadError(toApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [token]);

  if (joined) {
    return (
      <section aria-labelledby="joined-title" className="narrow card">
        <h1 id="joined-title">{t('invite.joinedTitle')}</h1>
        <p>{t('invite.joinedIntro')}</p>
        <p>{t('invite.certificationPending')}</p>
        <p className="label">{t('invite.yourFingerprint')}</p>
        <Fingerprint value={joined.fingerprint} label={t('invite.yourFingerprint')} testId="my-fingerprint" />
        <p>{t('invite.readFingerprint')}</p>
        <Link className="primary button-link" to="/login" state={{ name: joined.name }}>
          {t('invite.continueToLogin')}
        </Link>
      </section>
    );
  }

  if (loadError) {
    return (
      <section aria-labelledby="invite-title" className="narrow card">
        <h1 id="invite-title">{t('invite.title')}</h1>
        <ErrorNotice error={loadError} />
        {/* These messages already say to ask for a new link; the others do not. */}
        {!selfAdvising.has(loadError.code) && <p>{t('invite.askForNewLink')}</p>}
      </section>
    );
  }
  if (!lookup) return <Busy label={t('invite.checking')} />;

  const offeredKey = lookup.organization.publicKey;
  const ourFingerprint = organizationFingerprintOf(offeredKey);
  // Someone who already trusts this organization in this browser must not be talked into another key.
  const pin = checkOrganizationPin(browserPinStore(), offeredKey, { pinIfNew: false });
  if (!ourFingerprint || pin.state === 'mismatch') {
    return (
      <section aria-labelledby="invite-title" className="narrow card">
        <h1 id="invite-title">{t('invite.title')}</h1>
        {pin.state === 'mismatch' ? <TrustAlert pin={pin} /> : <ErrorNotice error={new ApiError('ORGANIZATION_KEY_CHANGED', 0, 'no organization key')} />}
      </section>
    );
  }

  const ready = matches && understood && memberNameProblem(name) === null && passphrase !== null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready || passphrase === null || !offeredKey) return;
    setBusy(true);
    setError(null);
    try {
      await nextPaint();
      // The bundle binds the organization key compared above, so a first login on another device pins exactly it.
      const member = await createMember(passphrase, undefined, undefined, offeredKey);
      const mine = fingerprint(member.keys.encryption.publicKey, member.keys.signing.publicKey);
      try {
        await api.invitations.accept(prepareInvitationAcceptance(token, { id: newMemberId(), name: name.trim(), material: member }));
      } finally {
        // Nothing to do with the keys until login: they come back from the server, sealed, then.
        wipeMemberKeys(member.keys);
        member.authKey.fill(0);
        member.auth.privateKey.fill(0);
      }
      pinOrganizationKey(browserPinStore(), offeredKey);
      // The link is spent; keep it out of the history entry as well.
      window.history.replaceState(window.history.state, '', '/invite');
      setJoined({ name: name.trim(), fingerprint: mine });
    } catch (e) {
      setError(await whyRefused(token, toApiError(e)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="invite-title" className="narrow card">
      <h1 id="invite-title">{t('invite.title')}</h1>
      <p>
        {t('invite.intro', {
          organization: lookup.organization.name,
          role: t(`members.roles.${lookup.role}`),
          expires: formatDateTime(lookup.expiresAt, i18n.language),
        })}
      </p>
      <div className="fingerprint-check">
        <h2>{t('invite.compareTitle')}</h2>
        <p>{t('invite.compareIntro')}</p>
        <Fingerprint value={ourFingerprint} label={t('trust.organizationFingerprint')} testId="organization-fingerprint" />
        <Checkbox checked={matches} onChange={setMatches} disabled={busy} data-testid="fingerprint-matches">
          {t('invite.fingerprintMatches')}
        </Checkbox>
        <p className="hint">{t('invite.fingerprintDiffers')}</p>
      </div>
      <form onSubmit={(e) => void submit(e)} aria-busy={busy}>
        <NewAccountFields
          legend={t('invite.accountLegend')}
          name={name}
          onName={setName}
          userInputs={[name, lookup.organization.name]}
          onPassphrase={onPassphrase}
          understood={understood}
          onUnderstood={setUnderstood}
          disabled={busy || !matches}
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || !ready}>
          {t('invite.accept')}
        </button>
        {busy && <Busy label={t('invite.generating')} />}
      </form>
    </section>
  );
}
