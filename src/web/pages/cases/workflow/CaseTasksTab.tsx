import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseTask } from '../../../../core/api/casework.js';
import { asCaseId, asRecordId, caseCompartments, prepareRecord, type CaseCompartmentName } from '../../../../core/index.js';
import { toApiError, type ApiError } from '../../../api.js';
import { caseworkApi } from '../../../api/casework.js';
import { Busy } from '../../../components/Busy.js';
import { ErrorNotice } from '../../../components/ErrorNotice.js';
import { queryError } from '../../../queries.js';
import { useSession } from '../../../session.js';
import { Button, EmptyState, Select, Table, TextField, useToast } from '../../../ui/index.js';
import { certifiedIn, currentSigner } from './case-crypto.js';
import { useNameOf } from './colleagues.js';
import { caseworkKeys, useCaseTasks, useMyId, useRefresh } from './queries.js';
import { readTaskTitles } from './task-titles.js';
import { TaskDue, TaskTitleText, urgencyClass } from './TaskBits.js';
import type { CaseSlotProps } from './types.js';

/** Long enough for "Book the Tbilisi–Yerevan leg once he confirms the border", short enough for a list. */
export const maxTaskTitle = 300;

/** Tasks of one case: their titles decrypted where the member holds the compartment, due days that stand out, adding and completing. */
export function CaseTasksTab({ detail, keys }: CaseSlotProps) {
  const { t } = useTranslation();
  const session = useSession();
  const caseId = detail.case.id;
  const tasksQuery = useCaseTasks(caseId);
  const tasks = tasksQuery.data?.tasks ?? null;
  const nameOf = useNameOf();
  const refresh = useRefresh();
  const toast = useToast();
  const [error, setError] = useState<ApiError | null>(null);
  const [busyTask, setBusyTask] = useState<string | null>(null);
  const pinned = session.organizationKey;
  const titles = useQuery({
    queryKey: [...caseworkKeys.taskTitles(caseId), tasks?.map((task) => task.recordId).join(',') ?? '', keys ? Object.keys(keys.keyrings).join(',') : 'locked'],
    enabled: tasks !== null,
    queryFn: () => readTaskTitles({ detail, keys, tasks: tasks ?? [], certified: certifiedIn(detail, pinned) }),
  });

  async function complete(task: CaseTask) {
    setBusyTask(task.taskId);
    setError(null);
    try {
      await caseworkApi.tasks.update(caseId, task.taskId, { state: 'done' });
      await refresh(caseworkKeys.caseTasks(caseId), caseworkKeys.myTasks, caseworkKeys.cases);
      toast.show(t('casework.tasks.completed'));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusyTask(null);
    }
  }

  const shownError = error ?? queryError(tasksQuery.error) ?? queryError(titles.error);
  return (
    <div className="workflow-tab case-tasks" data-testid="case-tasks">
      <h2 id={`tasks-${caseId}`}>{t('casework.tasks.title')}</h2>
      <ErrorNotice error={shownError} />
      {tasks === null ? (
        !shownError && <Busy label={t('app.loading')} />
      ) : tasks.length === 0 ? (
        <EmptyState title={t('casework.tasks.none')} testId="tasks-empty">
          <p>{t('casework.tasks.noneBody')}</p>
        </EmptyState>
      ) : (
        <Table label={t('casework.tasks.title')} hideCaption className="tasks-table">
          <thead>
            <tr>
              <th scope="col">{t('casework.tasks.task')}</th>
              <th scope="col">{t('casework.tasks.due')}</th>
              <th scope="col">{t('casework.tasks.assignee')}</th>
              <th scope="col">{t('casework.tasks.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('casework.tasks.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.taskId} className={urgencyClass(task)} data-testid="task-row" data-state={task.state} data-task-id={task.taskId}>
                <th scope="row">
                  <TaskTitleText title={titles.data?.get(task.taskId)} compartment={task.compartment} />
                  <span className="hint task-compartment">{t(`casework.compartments.${task.compartment}`)}</span>
                </th>
                <td data-label={t('casework.tasks.due')}>
                  <TaskDue task={task} />
                </td>
                <td data-label={t('casework.tasks.assignee')}>{nameOf(task.assigneeId)}</td>
                <td data-label={t('casework.tasks.state')}>{t(`casework.tasks.states.${task.state}`)}</td>
                <td className="actions">
                  {task.state === 'open' && (
                    <Button isDisabled={busyTask !== null} onPress={() => void complete(task)} data-testid="task-complete">
                      {t('casework.tasks.complete')}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {detail.case.status !== 'closed' && <NewTaskForm detail={detail} keys={keys} />}
    </div>
  );
}

/** A new task: the title sealed as a record in the chosen compartment first, then the task row that points at it. */
function NewTaskForm({ detail, keys }: CaseSlotProps) {
  const { t } = useTranslation();
  const id = useId();
  const me = useMyId();
  const refresh = useRefresh();
  const toast = useToast();
  const held = caseCompartments.filter((c) => keys?.keyrings[c] !== undefined);
  const [title, setTitle] = useState('');
  const [compartment, setCompartment] = useState<CaseCompartmentName | null>(null);
  const [dueOn, setDueOn] = useState('');
  const [assignee, setAssignee] = useState(me ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const caseId = detail.case.id;
  const chosen = compartment ?? (held.includes('logistics') ? 'logistics' : (held[0] ?? null));
  const tooLong = title.length > maxTaskTitle;

  // Who may be given the task: a holder of its compartment (the title must be readable to them), this member first.
  const holders = chosen ? (detail.compartments.find((c) => c.compartment === chosen)?.holders ?? []) : [];
  const people = [...holders].sort((a, b) => (a === me ? -1 : b === me ? 1 : 0));
  const shownAssignee = assignee === '' || people.includes(assignee) ? assignee : '';
  const nameOf = useNameOf();

  if (!keys || held.length === 0) {
    return <p className="hint">{keys ? t('casework.tasks.noCompartment') : t('casework.tasks.needKeys')}</p>;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!keys || !me || !chosen || title.trim() === '' || tooLong) return;
    const keyring = keys.keyrings[chosen];
    if (!keyring) return;
    setBusy(true);
    setError(null);
    try {
      const recordId = crypto.randomUUID();
      const body = prepareRecord({
        caseId: asCaseId(caseId),
        compartment: chosen,
        recordId: asRecordId(recordId),
        version: 0,
        keyring,
        signer: currentSigner(me),
        content: { kind: 'task', title: title.trim() },
      });
      await caseworkApi.records.write(caseId, body);
      await caseworkApi.tasks.create(caseId, {
        taskId: crypto.randomUUID(),
        recordId,
        compartment: chosen,
        assigneeId: shownAssignee || null,
        dueOn: dueOn || null,
      });
      setTitle('');
      setDueOn('');
      await refresh(caseworkKeys.caseTasks(caseId), caseworkKeys.myTasks, caseworkKeys.cases);
      toast.show(t('casework.tasks.created'));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="new-task" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} aria-busy={busy} data-testid="new-task">
      <h3 id={`${id}-title`}>{t('casework.tasks.add')}</h3>
      <TextField
        label={t('casework.tasks.task')}
        value={title}
        onChange={setTitle}
        isDisabled={busy}
        error={tooLong ? t('casework.tasks.tooLong', { max: maxTaskTitle, count: title.length }) : null}
        description={t('casework.tasks.sealedIn', { compartment: chosen ? t(`casework.compartments.${chosen}`) : '' })}
        inputTestId="task-title-input"
      />
      <div className="new-task-row">
        <Select
          label={t('casework.tasks.compartment')}
          value={chosen ?? ''}
          onChange={(c) => setCompartment(c as CaseCompartmentName)}
          options={held.map((c) => ({ value: c, label: t(`casework.compartments.${c}`) }))}
          disabled={busy}
          data-testid="task-compartment"
        />
        <div className="field">
          <label className="field-label" htmlFor={`${id}-due`}>
            {t('casework.tasks.due')}
          </label>
          <input
            id={`${id}-due`}
            className="field-input"
            type="date"
            value={dueOn}
            onChange={(e) => setDueOn(e.target.value)}
            disabled={busy}
            data-testid="task-due-input"
          />
        </div>
        <Select
          label={t('casework.tasks.assignee')}
          value={shownAssignee}
          onChange={setAssignee}
          options={[{ value: '', label: t('casework.people.nobody') }, ...people.map((p) => ({ value: p, label: nameOf(p) }))]}
          disabled={busy}
          data-testid="task-assignee"
        />
      </div>
      <ErrorNotice error={error} />
      <Button type="submit" variant="primary" isDisabled={busy || title.trim() === '' || tooLong} data-testid="task-create">
        {t('casework.tasks.create')}
      </Button>
      {busy && <Busy label={t('casework.working')} />}
    </form>
  );
}
