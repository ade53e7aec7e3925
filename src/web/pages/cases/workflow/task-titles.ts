/**
 * Task titles are records (kind `task`) sealed in a compartment: the browser
 * reads the compartment's records and opens the ones the tasks name, with
 * the keys the member holds. A task in a compartment the member does not
 * hold is shown by its compartment only.
 */
import type { CaseDetail, StoredRecord } from '../../../../core/api/cases.js';
import type { CaseTask } from '../../../../core/api/casework.js';
import { asCaseId, openStoredRecord, type CaseCompartmentName, type CaseKeys, type CertifiedMember } from '../../../../core/index.js';
import { caseworkApi } from '../../../api/casework.js';

export type TaskTitle = { state: 'open'; title: string } | { state: 'hidden' } | { state: 'unreadable'; problem: string };

/** The titles of `tasks` of one case, by task id. */
export async function readTaskTitles(props: {
  detail: Pick<CaseDetail, 'case'>;
  keys: CaseKeys | null;
  tasks: readonly Pick<CaseTask, 'taskId' | 'recordId' | 'compartment'>[];
  certified: (memberId: string) => CertifiedMember | null;
}): Promise<Map<string, TaskTitle>> {
  const { keys, tasks } = props;
  const caseId = props.detail.case.id;
  const out = new Map<string, TaskTitle>();
  const wanted = new Set<CaseCompartmentName>();
  for (const task of tasks) {
    if (keys?.keyrings[task.compartment]) wanted.add(task.compartment);
    else out.set(task.taskId, { state: 'hidden' });
  }
  const records = new Map<string, StoredRecord>();
  await Promise.all(
    [...wanted].map(async (compartment) => {
      for (const record of await caseworkApi.records.list(caseId, compartment)) if (record.kind === 'task') records.set(record.recordId, record);
    }),
  );
  for (const task of tasks) {
    const keyring = keys?.keyrings[task.compartment];
    if (!keyring) continue;
    const stored = records.get(task.recordId);
    if (!stored) {
      out.set(task.taskId, { state: 'unreadable', problem: 'RECORD_MALFORMED' });
      continue;
    }
    const opened = openStoredRecord({ stored, caseId: asCaseId(caseId), compartment: task.compartment, keyring, author: props.certified(stored.authorId) });
    out.set(
      task.taskId,
      opened.ok && opened.content.kind === 'task'
        ? { state: 'open', title: opened.content.title }
        : { state: 'unreadable', problem: opened.ok ? 'RECORD_MALFORMED' : opened.problem },
    );
  }
  return out;
}
