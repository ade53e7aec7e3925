import { useTranslation } from 'react-i18next';
import type { RotationStep } from '../admin-trust.js';
import { Fingerprint } from '../components/Fingerprint.js';

const order = ['generating', 'certifying', 'sealing', 'publishing', 'done'] as const;

/**
 * The organization-key rotation as the administrator sees it: a warning while
 * one is pending, a progress indicator while it runs (it signs a certificate
 * per member), and the new fingerprint to read out when it is done.
 */
export function RotationPanel({ pending, step, busy, onRotate }: { pending: boolean; step: RotationStep | null; busy: boolean; onRotate: () => void }) {
  const { t } = useTranslation();
  if (step) {
    const index = order.indexOf(step.step);
    const fraction = step.step === 'certifying' && step.total > 0 ? step.done / step.total : 0;
    return (
      <section aria-labelledby="rotation-title" className={step.step === 'done' ? 'notice notice-ok' : 'notice notice-warning'} data-testid="rotation-panel">
        <h2 id="rotation-title">{t('membership.rotationTitle')}</h2>
        {step.step === 'done' ? (
          <>
            <p role="status" data-testid="rotation-done">
              {t('membership.rotationDone')}
            </p>
            <Fingerprint value={step.fingerprint} label={t('membership.newFingerprint')} testId="new-organization-fingerprint" />
          </>
        ) : (
          <>
            <p>{t('membership.rotationIntro')}</p>
            <progress className="rotation-progress" max={order.length - 1} value={index + fraction} aria-label={t('membership.rotationProgress')} />
            <p role="status" aria-live="polite" data-testid="rotation-step">
              {step.step === 'certifying'
                ? t('membership.rotationSteps.certifying', { done: step.done, total: step.total })
                : t(`membership.rotationSteps.${step.step}`)}
            </p>
          </>
        )}
      </section>
    );
  }
  if (!pending) return null;
  return (
    <section aria-labelledby="rotation-pending-title" className="notice notice-error" role="alert" data-testid="rotation-pending">
      <h2 id="rotation-pending-title">{t('membership.rotationPendingTitle')}</h2>
      <p>{t('membership.rotationPendingBody')}</p>
      <button type="button" className="danger" disabled={busy} onClick={onRotate}>
        {t('membership.rotateNow')}
      </button>
    </section>
  );
}
