import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { queryKeys, useInvalidate } from '../../queries.js';
import { useSession } from '../../session.js';
import { Button } from '../../ui/index.js';
import { currentMe } from './case-keys.js';
import { finishRotations, type RotationProgress } from './rotation.js';
import { RotationProgressView } from './RotationProgressView.js';

/**
 * After a member is removed or suspended, every compartment they held waits
 * for a new key, and the server refuses writes to it until then. This panel
 * (on the members page) does all of those this administrator holds at once,
 * case by case, with a progress bar; `trigger` changes after each removal.
 */
export function CaseRotationsPanel({ trigger }: { trigger: number }) {
  const { t } = useTranslation();
  const session = useSession();
  const invalidate = useInvalidate();
  const pending = useQuery({ queryKey: queryKeys.pendingRotations, queryFn: api.cases.pendingRotations });
  const [progress, setProgress] = useState<RotationProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const last = useRef(0);

  async function run() {
    setRunning(true);
    setError(null);
    try {
      const list = await api.cases.pendingRotations();
      const cases = [...new Map(list.map((r) => [r.caseId, r.code])).keys()];
      const total = list.length;
      let done = 0;
      const me = currentMe(session.info?.member.id);
      let failure: unknown = null;
      for (const caseId of cases) {
        const here = list.filter((r) => r.caseId === caseId).length;
        // Within one case: counted on from the cases before; its own "finished" is not the end of all of them.
        try {
          await finishRotations(
            caseId,
            me,
            session.organizationKey,
            (p) => p.compartment !== null && setProgress({ ...p, done: done + p.done, total }),
            undefined,
            { done: 0, total: here },
          );
        } catch (e) {
          // One case that does not check out (or refuses) does not hold up the others; it is reported at the end.
          failure ??= e;
        }
        done += here;
      }
      if (failure) throw failure;
      // Nothing was waiting (the member held no case keys): nothing to say.
      setProgress(total === 0 ? null : { done, total, code: '', compartment: null });
    } catch (e) {
      setError(toApiError(e));
    } finally {
      // What is still pending is read before the panel says it is done.
      await invalidate(queryKeys.pendingRotations, queryKeys.cases).catch(() => undefined);
      setRunning(false);
    }
  }

  // After a removal: rotate at once, without being asked.
  useEffect(() => {
    if (trigger === 0 || trigger === last.current) return;
    last.current = trigger;
    void run();
  }, [trigger]);

  const count = pending.data?.length ?? 0;
  if (!progress && !error && count === 0) return null;
  if (!running && !error && count === 0 && progress) {
    return (
      <section aria-labelledby="case-rotations-title" className="notice notice-ok" data-testid="case-rotations">
        <h2 id="case-rotations-title">{t('cases.rotation.doneTitle')}</h2>
        <p role="status" data-testid="case-rotation-progress" data-done="true">
          {t('cases.rotation.done', { count: progress.done })}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="case-rotations-title" className="notice notice-warning" data-testid="case-rotations">
      <h2 id="case-rotations-title">{t('cases.rotation.title')}</h2>
      <p>{t('cases.rotation.intro')}</p>
      {progress && <RotationProgressView progress={progress} />}
      {!running && count > 0 && (
        <>
          <p>{t('cases.rotation.waiting', { count })}</p>
          <Button variant="primary" onPress={() => void run()} data-testid="case-rotations-run">
            {t('cases.rotation.run')}
          </Button>
        </>
      )}
      <ErrorNotice error={error} />
    </section>
  );
}
