import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PinCheck } from '../trust.js';
import { Fingerprint } from './Fingerprint.js';

/**
 * First login in this browser with a key bundle made before bundles recorded
 * the organization key (version 1): nothing vouches for the key the server
 * presents, so the person compares its fingerprint, as on the invitation
 * page, before this browser pins it.
 */
export function FirstUseCheck({ pin, onConfirm }: { pin: Extract<PinCheck, { state: 'unconfirmed' }>; onConfirm: () => void }) {
  const { t } = useTranslation();
  const [matches, setMatches] = useState(false);
  return (
    <section aria-labelledby="first-use-title" className="narrow" data-testid="first-use-check">
      <h1 id="first-use-title">{t('membership.firstUseTitle')}</h1>
      <p>{t('membership.firstUseIntro')}</p>
      <div className="fingerprint-check">
        <Fingerprint value={pin.offeredFingerprint} label={t('trust.organizationFingerprint')} testId="organization-fingerprint" />
        <label className="checkbox">
          <input type="checkbox" checked={matches} onChange={(e) => setMatches(e.target.checked)} data-testid="first-use-matches" />
          {t('membership.firstUseMatches')}
        </label>
        <p className="hint">{t('membership.firstUseDiffers')}</p>
      </div>
      <button type="button" className="primary" disabled={!matches} onClick={onConfirm}>
        {t('membership.firstUseConfirm')}
      </button>
    </section>
  );
}
