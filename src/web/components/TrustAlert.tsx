import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PinCheck } from '../trust.js';
import { organizationFingerprintOf } from '../trust.js';
import { Fingerprint } from './Fingerprint.js';

/**
 * The server now presents another organization key than the one this browser
 * pinned. Either the organization really changed its key (rare, and announced
 * by administrators through another channel), or someone controls the server
 * and wants members to trust keys it made. Nothing is unlocked until the
 * person decides, and the safe choice is the obvious one.
 */
export function TrustAlert({ pin, onTrustNew }: { pin: Extract<PinCheck, { state: 'mismatch' }>; onTrustNew?: () => void }) {
  const { t } = useTranslation();
  const [confirmed, setConfirmed] = useState(false);
  const pinnedFingerprint = organizationFingerprintOf(pin.pinned);
  return (
    <div className="notice notice-error trust-alert" role="alert" data-testid="organization-key-changed">
      <h2>{t('trust.changedTitle')}</h2>
      <p>{t('errors.ORGANIZATION_KEY_CHANGED')}</p>
      <p>{t('trust.changedAdvice')}</p>
      {pinnedFingerprint && (
        <>
          <p className="label">{t('trust.pinnedFingerprint')}</p>
          <Fingerprint value={pinnedFingerprint} label={t('trust.pinnedFingerprint')} />
        </>
      )}
      {pin.offeredFingerprint ? (
        <>
          <p className="label">{t('trust.offeredFingerprint')}</p>
          <Fingerprint value={pin.offeredFingerprint} label={t('trust.offeredFingerprint')} />
        </>
      ) : (
        <p>{t('trust.noKeyOffered')}</p>
      )}
      {onTrustNew && pin.offeredFingerprint && (
        <details>
          <summary>{t('trust.changedOnPurpose')}</summary>
          <label className="checkbox">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
            {t('trust.confirmNewKey')}
          </label>
          <button type="button" className="danger" disabled={!confirmed} onClick={onTrustNew}>
            {t('trust.trustNewKey')}
          </button>
        </details>
      )}
    </div>
  );
}
