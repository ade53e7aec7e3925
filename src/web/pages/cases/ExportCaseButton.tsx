import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { caseCompartments, isLanguage } from '../../../core/index.js';
import type { CaseTasksResponse, TimelineResponse } from '../../../core/api/casework.js';
import {
  caseArchiveRecipients,
  archiveCaseMetadata,
  encryptCaseArchive,
  type ArchiveCompartment,
  type ArchiveMember,
  type ArchiveRecord,
  type ArchiveTask,
  type ArchiveTimelineEntry,
} from '../../../core/cases/export-archive.js';
import { api as request, toApiError, type ApiError } from '../../api.js';
import { api } from '../../api/client.js';
import { ErrorNotice } from '../../components/ErrorNotice.js';
import { useSession } from '../../session.js';
import { Button, ConfirmDialog, TextArea } from '../../ui/index.js';
import type { OpenedCase } from './case-keys.js';
import { openRecord } from './records.js';

/** Every page of the timeline when this member may read it (the owner, administrators); none otherwise. */
async function timelineOf(caseId: string, member: (id: string) => ArchiveMember): Promise<ArchiveTimelineEntry[]> {
  const entries: ArchiveTimelineEntry[] = [];
  let before: number | null = null;
  try {
    do {
      const page: TimelineResponse = await request<TimelineResponse>(`/api/cases/${caseId}/timeline?limit=500${before === null ? '' : `&before=${before}`}`);
      for (const e of page.entries) entries.push({ at: e.occurredAt, action: e.action, actor: e.actorId ? member(e.actorId) : null, detail: e.detail });
      before = page.nextBefore;
    } while (before !== null);
  } catch (error) {
    if (toApiError(error).status === 403) return [];
    throw error;
  }
  return entries.reverse();
}

/**
 * "Export case": what this member's keys open of the case (every version of
 * every record, the tasks, the timeline when they may read it) as a tar
 * archive encrypted with age to the recipients they name, built in this
 * browser and saved as a file. Reading it needs only `age -d` and `tar -x`;
 * nothing leaves the browser but the encrypted file.
 */
export function ExportCaseButton({ view }: { view: OpenedCase }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [recipients, setRecipients] = useState('');
  const [busy, setBusy] = useState(false);
  const [written, setWritten] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [done, setDone] = useState(false);
  const detail = view.detail;
  const caseId = detail.case.id;
  const member = (id: string): ArchiveMember => ({ id, name: view.certified(id)?.name ?? null });

  function archiveCompartments(titles: Map<string, string>): AsyncGenerator<ArchiveCompartment> {
    return (async function* () {
      for (const name of caseCompartments) {
        const keyring = view.keyrings[name];
        if (!keyring) continue;
        const heads = await api.cases.records(caseId, name);
        const records = async function* (): AsyncGenerator<ArchiveRecord> {
          for (const head of heads) {
            const versions = await api.cases.history(caseId, head.recordId);
            const opened = versions.map((v) => ({ stored: v, record: openRecord(v, { caseId, compartment: name }, keyring, view.certified) }));
            const newest = opened.find((o) => o.stored.version === head.version)?.record.content;
            if (newest?.kind === 'task') titles.set(head.recordId, newest.title);
            yield {
              recordId: head.recordId,
              kind: head.kind,
              versions: opened.map(({ stored, record }) => ({
                version: stored.version,
                epoch: stored.epoch,
                author: member(stored.authorId),
                createdAt: stored.createdAt,
                signatureVerified: record.verified,
                content: record.content,
                problem: record.problem,
              })),
            };
          }
        };
        yield { name, epoch: detail.compartments.find((c) => c.compartment === name)?.epoch ?? null, records: records() };
      }
    })();
  }

  async function run() {
    setError(null);
    setDone(false);
    const list = recipients.split(/\s+/).filter(Boolean);
    try {
      caseArchiveRecipients(list);
    } catch {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setBusy(true);
    setWritten(0);
    try {
      const titles = new Map<string, string>();
      const taskList = (await request<CaseTasksResponse>(`/api/cases/${caseId}/tasks`)).tasks;
      const tasks = (): ArchiveTask[] =>
        taskList.map((task) => ({
          id: task.taskId,
          title: titles.get(task.recordId) ?? null,
          state: task.state,
          dueOn: task.dueOn,
          assigneeId: task.assigneeId,
          compartment: task.compartment,
        }));
      const chunks: Uint8Array[] = [];
      const archive = encryptCaseArchive(
        {
          case: archiveCaseMetadata(detail),
          exportedAt: new Date().toISOString(),
          exportedBy: member(session.info?.member.id ?? ''),
          server: window.location.origin,
          compartments: archiveCompartments(titles),
          tasks,
          timeline: await timelineOf(caseId, member),
        },
        list,
        { language: isLanguage(i18n.language) ? i18n.language : 'en', onRecord: setWritten },
      );
      for await (const chunk of archive) chunks.push(chunk);
      // Only ciphertext is ever in the file; it is handed to the browser's own download.
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'application/octet-stream' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `case-${detail.case.code}.tar.age`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setDone(true);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button onPress={() => setOpen(true)} data-testid="export-case">
        {t('cases.export.open')}
      </Button>
      {open && (
        <ConfirmDialog
          open
          title={t('cases.export.title', { code: detail.case.code })}
          confirmLabel={t('cases.export.confirm')}
          confirmDisabled={busy || !recipients.trim()}
          busy={busy}
          onConfirm={() => void run()}
          onCancel={() => {
            if (busy) return;
            setOpen(false);
            setDone(false);
          }}
          testId="export-dialog"
        >
          <p>{t('cases.export.intro')}</p>
          <TextArea
            label={t('cases.export.recipients')}
            description={t('cases.export.recipientsHint')}
            value={recipients}
            onChange={setRecipients}
            rows={2}
            error={invalid ? t('cases.export.invalid') : null}
            inputTestId="export-recipients"
          />
          {busy && (
            <div className="busy" role="status" aria-live="polite" data-testid="export-progress">
              <progress aria-label={t('cases.export.progress')} />
              <span>{t('cases.export.written', { count: written })}</span>
            </div>
          )}
          {done && (
            <p className="notice notice-ok" role="status" data-testid="export-done">
              {t('cases.export.done', { count: written })}
            </p>
          )}
          <ErrorNotice error={error} />
        </ConfirmDialog>
      )}
    </>
  );
}
