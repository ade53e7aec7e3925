import { useTranslation } from 'react-i18next';
import type { CaseTask } from '../../../../core/api/casework.js';
import type { TaskTitle } from './task-titles.js';

/** A calendar day (YYYY-MM-DD) as the reader's language writes it; days are not instants, so no time zone moves them. */
export function formatDay(day: string | null, language: string): string {
  if (!day) return '';
  const at = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(at.getTime())) return day;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(at);
}

/** The row class that makes overdue and due-soon tasks stand out. */
export function urgencyClass(task: Pick<CaseTask, 'overdue' | 'dueSoon' | 'state'>): string {
  if (task.state !== 'open') return 'task-row task-finished';
  return task.overdue ? 'task-row task-overdue' : task.dueSoon ? 'task-row task-soon' : 'task-row';
}

/** The due day, and a word (not only a colour) when it is past or near. */
export function TaskDue({ task }: { task: Pick<CaseTask, 'dueOn' | 'overdue' | 'dueSoon' | 'state'> }) {
  const { t, i18n } = useTranslation();
  return (
    <span className="task-due" data-testid="task-due" data-overdue={task.overdue} data-due-soon={task.dueSoon}>
      {task.dueOn ? formatDay(task.dueOn, i18n.language) : <span className="hint">{t('casework.tasks.noDue')}</span>}
      {task.state === 'open' && task.overdue && <span className="urgency urgency-overdue">{t('casework.tasks.overdue')}</span>}
      {task.state === 'open' && task.dueSoon && <span className="urgency urgency-soon">{t('casework.tasks.dueSoon')}</span>}
    </span>
  );
}

/** The decrypted title, or what stands in for it when the member does not hold the compartment or the record does not check out. */
export function TaskTitleText({ title, compartment }: { title: TaskTitle | undefined; compartment: string }) {
  const { t } = useTranslation();
  const where = t(`casework.compartments.${compartment}`);
  if (!title) return <span className="hint">{t('casework.tasks.opening')}</span>;
  switch (title.state) {
    case 'open':
      return (
        <span className="task-title" data-testid="task-title">
          {title.title}
        </span>
      );
    case 'hidden':
      return (
        <span className="hint task-hidden" data-testid="task-title-hidden">
          {t('casework.tasks.inCompartment', { compartment: where })}
        </span>
      );
    case 'unreadable':
      return (
        <span className="danger-text" data-testid="task-title-unreadable" data-error-code={title.problem}>
          {t('casework.tasks.unreadable')}
        </span>
      );
  }
}
