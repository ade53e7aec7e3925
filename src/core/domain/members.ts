/** A member's standing in the organization. */
export const memberStatuses = ['active', 'suspended', 'removed'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

/** How far a login has come: a pending second factor, a first TOTP enrollment, or a full session. */
export const sessionStages = ['second_factor', 'totp_enrollment', 'full'] as const;
export type SessionStage = (typeof sessionStages)[number];

/** Where an invitation stands. */
export const invitationStates = ['pending', 'used', 'expired', 'revoked'] as const;
export type InvitationState = (typeof invitationStates)[number];
