/** The working life of a case: notifications and the reason codes of closing, escalating and removing flags. Russian. */
import type { Messages } from '../en/index.js';

export const casework: Messages['casework'] = {
  notifications: {
    assigned: 'Вам передано дело {{code}}',
    assignedBatch: 'Вам передано дел: {{count}}',
    escalated: 'Дело {{code}} передано вам как специалисту',
    access_requested: 'Кто-то просит допуск к разделу дела {{code}}',
    task_assigned: 'Вам поручена задача по делу {{code}}',
    task_overdue: 'Задача по делу {{code}} просрочена',
    flag_set: 'На деле {{code}} поставлена предупреждающая отметка',
  },
  closureReasons: {
    goal_reached: 'Цель достигнута',
    no_longer_needed: 'Помощь больше не нужна',
    unreachable: 'С человеком нет связи',
    duplicate: 'Повтор другого дела',
    other: 'Другое (см. заметки дела)',
  },
  escalationReasons: {
    legal_expertise: 'Нужна юридическая помощь',
    verification: 'Нужна проверка',
    safety: 'Угроза безопасности',
    logistics: 'Нужна помощь с маршрутом',
    capacity: 'У ответственного нет времени',
    language: 'Язык',
    other: 'Другое (см. заметки дела)',
  },
  flagRemovalReasons: {
    resolved: 'Вопрос решён',
    set_in_error: 'Поставлена по ошибке',
    no_longer_relevant: 'Больше не актуальна',
    other: 'Другое (см. заметки дела)',
  },
};
