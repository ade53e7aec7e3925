/**
 * The working life of a case beyond its status (src/core/domain/cases.ts):
 * why it closed, why it was escalated, why a warning came off, and what a
 * member is told about it. Every value is a code; the words are in the
 * catalogues (`casework` block), and nothing here can carry a person's
 * details (reasons in words belong in an encrypted note).
 */

/** Why a case was closed, beside its outcome. */
export const closureReasons = ['goal_reached', 'no_longer_needed', 'unreachable', 'duplicate', 'other'] as const;
export type ClosureReason = (typeof closureReasons)[number];

/** Why a case was referred or transferred to a specialist. */
export const escalationReasons = ['legal_expertise', 'verification', 'safety', 'logistics', 'capacity', 'language', 'other'] as const;
export type EscalationReason = (typeof escalationReasons)[number];

/** Why a warning flag was taken off a case (required: DESIGN §6, a flag's removal is explained). */
export const flagRemovalReasons = ['resolved', 'set_in_error', 'no_longer_relevant', 'other'] as const;
export type FlagRemovalReason = (typeof flagRemovalReasons)[number];

/** What an in-app notification is about: ids and a kind, never content. */
export const notificationKinds = ['assigned', 'escalated', 'access_requested', 'task_assigned', 'task_overdue', 'flag_set'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** How long one member's request for one compartment of a case stands before they may ask again. */
export const accessRequestWindowMinutes = 60;

/** The most cases one handover request moves (the browser sends a long list in batches and shows progress). */
export const handoverBatchSize = 100;

const is =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);

export const isClosureReason = is(closureReasons);
export const isEscalationReason = is(escalationReasons);
export const isFlagRemovalReason = is(flagRemovalReasons);
export const isNotificationKind = is(notificationKinds);

/** A calendar day `YYYY-MM-DD` of an instant, in UTC (due dates are days, not instants). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The day `days` after `day` (both `YYYY-MM-DD`). */
export function addDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00.000Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return utcDay(at);
}

/**
 * Whether an open task is past due (its day is over) or due soon (today or
 * within `soonDays`), seen on `today`. Done and cancelled tasks are neither.
 */
export function taskUrgency(task: { state: string; dueOn: string | null }, today: string, soonDays: number): { overdue: boolean; dueSoon: boolean } {
  if (task.state !== 'open' || task.dueOn === null) return { overdue: false, dueSoon: false };
  const overdue = task.dueOn < today;
  return { overdue, dueSoon: !overdue && task.dueOn <= addDays(today, soonDays) };
}
