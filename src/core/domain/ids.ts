/** Distinct id types, so a case id cannot be passed where a member id is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type MemberId = Brand<string, 'MemberId'>;
export type CaseId = Brand<string, 'CaseId'>;
export type RecordId = Brand<string, 'RecordId'>;
export type InvitationId = Brand<string, 'InvitationId'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value);
}

export const asMemberId = (id: string): MemberId => id as MemberId;
export const asCaseId = (id: string): CaseId => id as CaseId;
export const asRecordId = (id: string): RecordId => id as RecordId;
export const asInvitationId = (id: string): InvitationId => id as InvitationId;
