import { useTranslation } from 'react-i18next';
import type { RotationProgress } from './rotation.js';

/** A rotation under way: which case and compartment, how many of how many, as a bar and a polite announcement. */
export function RotationProgressView({ progress }: { progress: RotationProgress }) {
  const { t } = useTranslation();
  const finished = progress.compartment === null;
  return (
    <div className={finished ? 'notice notice-ok' : 'busy'} role="status" aria-live="polite" data-testid="case-rotation-progress" data-done={finished}>
      <progress max={Math.max(progress.total, 1)} value={progress.done} aria-label={t('cases.rotation.progress')} />
      <span>
        {finished
          ? t('cases.rotation.done', { count: progress.done })
          : t('cases.rotation.step', {
              done: progress.done,
              total: progress.total,
              code: progress.code,
              compartment: t(`cases.compartment.${progress.compartment}`),
            })}
      </span>
    </div>
  );
}
