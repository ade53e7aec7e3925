import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyTask } from '../../core/api/casework.js';
import { taskSoonDays } from '../../core/index.js';
import { toApiError, type ApiError } from '../api.js';
import { caseworkApi } from '../api/casework.js';
import { Busy } from '../components/Busy.js';
import { ErrorNotice } from '../components/ErrorNotice.js';
import { queryError } from '../queries.js';
import { useSession } from '../session.js';
import { useDocumentTitle } from '../title.js';
import { Button, EmptyState, Table, useToast } from '../ui/index.js';
import { certifiedIn, openKeysOf } from './cases/workflow/case-crypto.js';
import { caseworkKeys, useMyTasks, useRefresh } from './cases/workflow/queries.js';
import { readTaskTitles, type TaskTitle } from './cases/workflow/task-titles.js';
import { TaskDue, TaskTitleText, urgencyClass } from './cases/workflow/TaskBits.js';

/**
 * The member's open tasks across cases, by due day: overdue and due-soon ones
 * stand out. Titles are decrypted in this browser for cases where the member
 * holds the task's compartment (opening those keys is recorded in each case's
 * access log); elsewhere the task shows which compartment it is in.
 */
export function TasksPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('casework.myTasks.title'));
  const session = useSession();
  const me = session.info?.member.id ?? null;
  const pinned = session.organizationKey;
  const toast = useToast();
  const refresh = useRefresh();
  const tasksQuery = useMyTasks();
  const tasks = tasksQuery.data?.tasks ?? null;
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busyTask, setBusyTask] = useState<string | null>(null);

  const titles = useQuery({
    queryKey: [...caseworkKeys.myTaskTitles, tasks?.map((task) => task.recordId).join(',') ?? ''],
    enabled: tasks !== null && me !== null,
    queryFn: async (): Promise<Map<string, TaskTitle>> => {
      const byCase = new Map<string, MyTask[]>();
      for (const task of tasks ?? []) byCase.set(task.caseId, [...(byCase.get(task.caseId) ?? []), task]);
      const all = new Map<string, TaskTitle>();
      await Promise.all(
        [...byCase].map(async ([caseId, ofCase]) => {
          try {
            const detail = await caseworkApi.detail(caseId);
            const held = new Set(detail.myKeys.map((k) => (k as { compartment?: string }).compartment));
            // Keys are opened (and the read logged) only where a title can be read.
            const keys = ofCase.some((task) => held.has(task.compartment)) ? openKeysOf(detail, me!, pinned) : null;
            const opened = await readTaskTitles({ detail, keys, tasks: ofCase, certified: certifiedIn(detail, pinned) });
            for (const [taskId, title] of opened) all.set(taskId, title);
          } catch (e) {
            // One case whose chain does not check out (or that cannot be read now) hides only its own titles.
            const problem = toApiError(e).code;
            for (const task of ofCase) all.set(task.taskId, { state: 'unreadable', problem });
          }
        }),
      );
      return all;
    },
  });

  async function complete(task: MyTask) {
    setBusyTask(task.taskId);
    setFailure(null);
    try {
      await caseworkApi.tasks.update(task.caseId, task.taskId, { state: 'done' });
      await refresh(caseworkKeys.myTasks, caseworkKeys.caseTasks(task.caseId), caseworkKeys.cases);
      toast.show(t('casework.tasks.completed'));
    } catch (e) {
      setFailure(toApiError(e));
    } finally {
      setBusyTask(null);
    }
  }

  const error = failure ?? queryError(tasksQuery.error) ?? queryError(titles.error);
  const overdue = tasks?.filter((task) => task.overdue).length ?? 0;
  const soon = tasks?.filter((task) => task.dueSoon).length ?? 0;

  return (
    <section aria-labelledby="my-tasks-title" className="card my-tasks">
      <h1 id="my-tasks-title">{t('casework.myTasks.title')}</h1>
      <p>{t('casework.myTasks.intro')}</p>
      {tasks && tasks.length > 0 && (
        <p className="task-summary" data-testid="my-tasks-summary">
          <span className={overdue > 0 ? 'urgency urgency-overdue' : 'urgency'} data-testid="my-tasks-overdue">
            {t('casework.myTasks.overdueCount', { count: overdue })}
          </span>
          <span className={soon > 0 ? 'urgency urgency-soon' : 'urgency'}>{t('casework.myTasks.soonCount', { count: soon, days: taskSoonDays })}</span>
        </p>
      )}
      <ErrorNotice error={error} />
      {tasks === null ? (
        !error && <Busy label={t('app.loading')} />
      ) : tasks.length === 0 ? (
        <EmptyState title={t('casework.myTasks.none')} testId="my-tasks-empty">
          <p>{t('casework.myTasks.noneBody')}</p>
        </EmptyState>
      ) : (
        <Table label={t('casework.myTasks.title')} hideCaption className="tasks-table" testId="my-tasks">
          <thead>
            <tr>
              <th scope="col">{t('casework.tasks.task')}</th>
              <th scope="col">{t('casework.myTasks.case')}</th>
              <th scope="col">{t('casework.tasks.due')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('casework.tasks.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <tr key={task.taskId} className={urgencyClass(task)} data-testid="my-task" data-task-id={task.taskId} data-overdue={task.overdue}>
                <th scope="row">
                  <TaskTitleText title={titles.data?.get(task.taskId)} compartment={task.compartment} />
                </th>
                <td data-label={t('casework.myTasks.case')}>
                  <Link to={`/cases/${task.caseCode}`} className="case-code" data-testid="my-task-case">
                    {task.caseCode}
                  </Link>
                </td>
                <td data-label={t('casework.tasks.due')}>
                  <TaskDue task={task} />
                </td>
                <td className="actions">
                  <Button isDisabled={busyTask !== null} onPress={() => void complete(task)} data-testid="my-task-complete">
                    {t('casework.tasks.complete')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
