/** The members' use cases, one per file, named as a member would say them. */
export { acceptInvitation, type AcceptInvitationProps } from './accept-invitation.js';
export { certifyMember, type CertifyMemberProps } from './certify-member.js';
export { changeMemberRole, type ChangeMemberRoleProps } from './change-member-role.js';
export { inviteMember, type InviteMemberProps } from './invite-member.js';
export { listInvitations } from './list-invitations.js';
export { listAllMembers, readMemberDirectory, type ListAllMembersProps, type MemberSummaryWithAbilities } from './list-members.js';
export { logOut, type LogOutProps } from './log-out.js';
export { logOutEverywhere, type LogOutEverywhereProps } from './log-out-everywhere.js';
export { lookUpInvitation, type LookUpInvitationProps } from './look-up-invitation.js';
export { readMyKeys, type MyKeys, type ReadMyKeysProps } from './read-my-keys.js';
export { readSession, type ReadSessionProps } from './read-session.js';
export { refuseConfusableName } from './refuse-confusable-name.js';
export { reinstateMember, type ReinstateMemberProps } from './reinstate-member.js';
export { removeMember, type RemoveMemberProps } from './remove-member.js';
export { revokeInvitation, type RevokeInvitationProps } from './revoke-invitation.js';
export { suspendMember, type SuspendMemberProps } from './suspend-member.js';
// Logging in (the security logic of decision 0009: proofs of possession, the atomic throttle, single-use codes).
export { beginTotpEnrollment, type BeginTotpEnrollmentProps } from './begin-totp-enrollment.js';
export { changePassphrase, type ChangePassphraseInput, type ChangePassphraseProps } from './change-passphrase.js';
export { confirmTotpEnrollment, type ConfirmTotpEnrollmentProps } from './confirm-totp-enrollment.js';
export { logIn, type LogInProps, type LoginInput } from './log-in.js';
export type { CompletedLogin } from './login-shared.js';
export { prelogin, type PreloginProps } from './prelogin.js';
export { requestAccountChallenge, type RequestAccountChallengeProps } from './request-account-challenge.js';
export { verifySecondFactor, type VerifySecondFactorProps } from './verify-second-factor.js';
