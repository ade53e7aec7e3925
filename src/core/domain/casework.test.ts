import { describe, expect, it } from 'vitest';
import { catalogs, languages } from '../index.js';
import { addDays, closureReasons, escalationReasons, flagRemovalReasons, notificationKinds, taskUrgency, utcDay } from './casework.js';

describe('casework codes', () => {
  it('every reason code and notification kind has words in every language', () => {
    for (const language of languages) {
      const words = catalogs[language].casework;
      const missing = [
        ...closureReasons.filter((r) => !words.closureReasons[r]).map((r) => `casework.closureReasons.${r}`),
        ...escalationReasons.filter((r) => !words.escalationReasons[r]).map((r) => `casework.escalationReasons.${r}`),
        ...flagRemovalReasons.filter((r) => !words.flagRemovalReasons[r]).map((r) => `casework.flagRemovalReasons.${r}`),
        ...notificationKinds.filter((k) => !words.notifications[k]).map((k) => `casework.notifications.${k}`),
      ];
      expect(missing, language).toEqual([]);
    }
  });
});

describe('task urgency', () => {
  const today = '2026-03-10';
  it('a day in the past is overdue, today and the next seven days are due soon, later is neither', () => {
    expect(taskUrgency({ state: 'open', dueOn: '2026-03-09' }, today, 7)).toEqual({ overdue: true, dueSoon: false });
    expect(taskUrgency({ state: 'open', dueOn: today }, today, 7)).toEqual({ overdue: false, dueSoon: true });
    expect(taskUrgency({ state: 'open', dueOn: '2026-03-17' }, today, 7)).toEqual({ overdue: false, dueSoon: true });
    expect(taskUrgency({ state: 'open', dueOn: '2026-03-18' }, today, 7)).toEqual({ overdue: false, dueSoon: false });
  });
  it('done, cancelled and undated tasks are never urgent', () => {
    expect(taskUrgency({ state: 'done', dueOn: '2020-01-01' }, today, 7)).toEqual({ overdue: false, dueSoon: false });
    expect(taskUrgency({ state: 'cancelled', dueOn: '2020-01-01' }, today, 7)).toEqual({ overdue: false, dueSoon: false });
    expect(taskUrgency({ state: 'open', dueOn: null }, today, 7)).toEqual({ overdue: false, dueSoon: false });
  });
  it('days are counted in UTC across month and year ends', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(utcDay(new Date('2026-03-10T23:59:59.999Z'))).toBe('2026-03-10');
  });
});
