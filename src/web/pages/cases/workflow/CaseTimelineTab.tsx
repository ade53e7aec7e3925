import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TimelineEntry } from '../../../../core/api/casework.js';
import { caseworkApi } from '../../../api/casework.js';
import { Busy } from '../../../components/Busy.js';
import { ErrorNotice } from '../../../components/ErrorNotice.js';
import { formatDateTimeSeconds } from '../../../format.js';
import { queryError } from '../../../queries.js';
import { Button, EmptyState, Table } from '../../../ui/index.js';
import { useNameOf } from './colleagues.js';
import { caseworkKeys } from './queries.js';
import { formatDay } from './TaskBits.js';
import type { CaseSlotProps } from './types.js';

/** The audit action whose entries make the access log: a browser opened compartment keys of the case. */
const keyRead = 'case.keys_read';

/**
 * What happened to the case (its audit entries: status, owner, grants,
 * flags, tasks) and, apart, its access log: every time a member's browser
 * read the case's compartment keys, by whom and when. Shown to the owner and
 * administrators (`abilities.timeline`).
 */
export function CaseTimelineTab({ detail }: CaseSlotProps) {
  const { t } = useTranslation();
  const caseId = detail.case.id;
  const allowed = detail.abilities.timeline;
  const pages = useInfiniteQuery({
    queryKey: caseworkKeys.timeline(caseId),
    enabled: allowed,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => caseworkApi.timeline.page(caseId, pageParam),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  if (!allowed) return null;
  const entries = pages.data?.pages.flatMap((p) => p.entries) ?? null;
  const error = queryError(pages.error);
  const events = entries?.filter((e) => e.action !== keyRead) ?? [];
  const reads = entries?.filter((e) => e.action === keyRead) ?? [];

  return (
    <div className="workflow-tab case-timeline" data-testid="case-timeline">
      <h2 id={`timeline-${caseId}`}>{t('casework.timeline.title')}</h2>
      <p className="hint">{t('casework.timeline.intro')}</p>
      <ErrorNotice error={error} />
      {entries === null ? (
        !error && <Busy label={t('app.loading')} />
      ) : (
        <>
          <EntryTable label={t('casework.timeline.events')} entries={events} testId="timeline-events" />
          <h3>{t('casework.timeline.accessTitle')}</h3>
          <p className="hint">{t('casework.timeline.accessIntro')}</p>
          <EntryTable label={t('casework.timeline.accessTitle')} entries={reads} testId="timeline-access" />
        </>
      )}
      {pages.hasNextPage && (
        <Button isDisabled={pages.isFetchingNextPage} onPress={() => void pages.fetchNextPage()} data-testid="timeline-more">
          {t('casework.timeline.more')}
        </Button>
      )}
    </div>
  );
}

function EntryTable({ label, entries, testId }: { label: string; entries: TimelineEntry[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const nameOf = useNameOf();
  if (entries.length === 0) return <EmptyState title={t('casework.timeline.none')} testId={`${testId}-empty`} />;
  return (
    <Table label={label} hideCaption className="timeline-table" testId={testId}>
      <thead>
        <tr>
          <th scope="col">{t('casework.timeline.when')}</th>
          <th scope="col">{t('casework.timeline.who')}</th>
          <th scope="col">{t('casework.timeline.what')}</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.seq} data-testid="timeline-entry" data-action={entry.action} data-seq={entry.seq}>
            <td className="nowrap">{formatDateTimeSeconds(entry.occurredAt, i18n.language)}</td>
            <td>{entry.actorId ? nameOf(entry.actorId) : t('casework.timeline.server')}</td>
            <td>
              <span>{t(`audit.actions.${entry.action.replace('.', '_')}`, { defaultValue: entry.action })}</span>
              <EntryDetail action={entry.action} detail={entry.detail} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** The codes an entry carries, in words, read by action (the same field means a status in one entry and a member in another); ids stay out. */
function EntryDetail({ action, detail }: { action: string; detail: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const nameOf = useNameOf();
  const code = (value: unknown) => (typeof value === 'string' ? value : null);
  const word = (block: string, value: unknown) => {
    const c = code(value);
    return c ? t(`casework.${block}.${c}`, { defaultValue: c }) : null;
  };
  const person = (value: unknown) => (code(value) ? nameOf(code(value)) : null);
  const arrow = (from: string | null, to: string | null) => (from && to ? t('casework.timeline.moved', { from, to }) : (to ?? from));
  let parts: (string | null)[];
  switch (action) {
    case 'case.status_changed':
    case 'case.reopened':
      parts = [arrow(word('statuses', detail.from), word('statuses', detail.to))];
      break;
    case 'case.priority_changed':
      parts = [arrow(word('priorities', detail.from), word('priorities', detail.to))];
      break;
    case 'case.closed':
      parts = [word('outcomes', detail.outcome), word('closureReasons', detail.reason)];
      break;
    case 'case.assigned':
    case 'case.handed_over':
      parts = [arrow(detail.from ? person(detail.from) : null, detail.to ? person(detail.to) : t('casework.people.nobody'))];
      break;
    case 'case.escalated':
      parts = [person(detail.specialistId), word('escalationKinds', detail.kind), word('escalationReasons', detail.reasonCode)];
      break;
    case 'case.flag_set':
    case 'case.flag_removed':
      parts = [word('flags.names', detail.flag), word('flagRemovalReasons', detail.reasonCode)];
      break;
    case 'case.task_created':
    case 'case.task_updated':
      parts = [
        word('compartments', detail.compartment),
        arrow(word('tasks.states', detail.from), word('tasks.states', detail.to)),
        code(detail.dueOn) ? t('casework.timeline.due', { day: formatDay(code(detail.dueOn), i18n.language) }) : null,
        code(detail.assigneeId) ? person(detail.assigneeId) : null,
      ];
      break;
    case 'case.keys_read':
      parts = [typeof detail.compartments === 'number' ? t('casework.timeline.keysRead', { count: detail.compartments }) : null];
      break;
    default:
      parts = [
        word('compartments', detail.compartment),
        ...(Array.isArray(detail.compartments) ? detail.compartments.map((c) => word('compartments', c)) : []),
        person(detail.memberId),
        person(detail.member),
      ];
  }
  const shown = parts.filter((p): p is string => Boolean(p));
  if (shown.length === 0) return null;
  return <span className="hint timeline-detail">: {shown.join(', ')}</span>;
}
