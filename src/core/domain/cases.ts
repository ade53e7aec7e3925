/**
 * A case as the server may know it: plaintext workflow metadata only
 * (DESIGN §6; docs/security.md lists every field). Everything that could
 * identify a person lives in the case's encrypted compartments.
 */
import type { CompartmentName } from './compartments.js';

export const caseCategories = ['conscript', 'mobilized', 'contract', 'officer', 'family_member'] as const;
export type CaseCategory = (typeof caseCategories)[number];

export const caseStatuses = ['new', 'triage', 'active', 'in_transit', 'arrived', 'legalizing', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const casePriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof casePriorities)[number];

/** How a case ended: recorded with a reason (its words encrypted) when it is closed. */
export const caseOutcomes = ['reached_safety', 'legal_status', 'withdrew', 'lost_contact', 'referred_elsewhere', 'not_eligible', 'duplicate', 'other'] as const;
export type CaseOutcome = (typeof caseOutcomes)[number];

/** Warnings on a case; removing one needs a reason. */
export const caseFlags = ['urgent', 'suspected_impostor', 'safety_risk', 'health', 'minor_involved', 'legal_deadline'] as const;
export type CaseFlag = (typeof caseFlags)[number];

export const taskStates = ['open', 'done', 'cancelled'] as const;
export type TaskState = (typeof taskStates)[number];

/** Referral keeps the owner and adds the specialist; transfer makes the specialist the owner (as in Primero). */
export const escalationKinds = ['referral', 'transfer'] as const;
export type EscalationKind = (typeof escalationKinds)[number];

const is =
  <T extends string>(values: readonly T[]) =>
  (value: unknown): value is T =>
    typeof value === 'string' && (values as readonly string[]).includes(value);

export const isCaseCategory = is(caseCategories);
export const isCaseStatus = is(caseStatuses);
export const isCasePriority = is(casePriorities);
export const isCaseOutcome = is(caseOutcomes);
export const isCaseFlag = is(caseFlags);
export const isTaskState = is(taskStates);

/**
 * The moves the workflow allows, defined once: the server enforces them and
 * the web app offers only these. Closing (from any open status) needs an
 * outcome; reopening goes back to triage.
 */
export const caseMoves: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['triage', 'closed'],
  triage: ['active', 'closed'],
  active: ['in_transit', 'legalizing', 'triage', 'closed'],
  in_transit: ['arrived', 'active', 'closed'],
  arrived: ['legalizing', 'active', 'closed'],
  legalizing: ['arrived', 'closed'],
  closed: ['triage'],
};

export function mayMoveCase(from: CaseStatus, to: CaseStatus): boolean {
  return caseMoves[from].includes(to);
}

/** Where a reopened case goes. */
export const reopenedStatus: CaseStatus = 'triage';

/**
 * Case codes: three and three characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L, U/V), e.g. `K7F-3QX`. 28^6 ≈ 4.8 × 10^8 codes; the server
 * refuses a duplicate and the browser draws again.
 */
export const caseCodeAlphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
export const caseCodePattern = /^[23456789ABCDEFGHJKMNPQRSTWXYZ]{3}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{3}$/;

/** A code from six random bytes; `random` is the caller's CSPRNG (core's randomBytes). */
export function caseCodeFrom(random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('six random bytes are needed');
  // Rejection sampling would need a loop on more bytes; 256 mod 29 bias is tiny and a code is not a secret.
  const chars = Array.from(random.subarray(0, 6), (byte) => caseCodeAlphabet[byte % caseCodeAlphabet.length]);
  return `${chars.slice(0, 3).join('')}-${chars.slice(3).join('')}`;
}

/** Reads a code as a person types it: any case, spaces or no dash, look-alikes mapped (O→0 is not in the alphabet, so refused). */
export function normalizeCaseCode(input: string): string | null {
  const compact = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_]/g, '');
  if (compact.length !== 6) return null;
  const code = `${compact.slice(0, 3)}-${compact.slice(3)}`;
  return caseCodePattern.test(code) ? code : null;
}

export function isCaseCode(value: unknown): value is string {
  return typeof value === 'string' && caseCodePattern.test(value);
}

/** Structured fields per compartment, where structure helps; every compartment also has notes. */
export const compartmentFields = {
  identity: ['alias', 'realName', 'dateOfBirth', 'unit', 'rank', 'documentNumbers'],
  contact: ['channels', 'handles'],
  logistics: ['legs', 'dates', 'checkInPlan'],
  testimony: [],
  evidence: [],
  support: [],
  legal: [],
} as const satisfies Record<string, readonly string[]>;
export type CaseCompartmentName = keyof typeof compartmentFields;
export type CompartmentField<C extends CaseCompartmentName = CaseCompartmentName> = (typeof compartmentFields)[C][number];

/** What a record in a compartment is: the structured profile (one per compartment), a note, or a task's title. */
export const recordKinds = ['fields', 'note', 'task'] as const;
export type RecordKind = (typeof recordKinds)[number];
export const isRecordKind = is(recordKinds);

/** No compartment may have fewer holders than this, so no case is lost with one member. */
export const minimumHolders = 2;

/** Tasks due within this many days stand out. */
export const taskSoonDays = 7;

export type { CompartmentName };
