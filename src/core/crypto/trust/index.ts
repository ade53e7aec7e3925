export {
  type OrganizationPublicKey,
  type OrganizationPrivateKey,
  type OrganizationKeyPair,
  type SealedOrganizationKey,
  generateOrganizationKey,
  organizationKeyFromPrivate,
  organizationFingerprint,
  encodeOrganizationPublicKey,
  decodeOrganizationPublicKey,
  sealOrganizationKey,
  parseSealedOrganizationKey,
  openOrganizationKey,
} from './organization.js';
export {
  type MemberCertificate,
  type MemberCertificateBody,
  type CertificateRequest,
  type CertificateExpectation,
  type CertifiedMember,
  signMemberCertificate,
  normalizeName,
  parseMemberCertificate,
  verifyMemberCertificate,
} from './certificate.js';
export { type MemberSigner, type SignatureVerifier, memberSigner, signWithMemberKey, verifyMemberSignature, assertMemberSignature } from './signatures.js';
export {
  type MembershipList,
  type MembershipListBody,
  type MembershipListEntry,
  type MembershipListRequest,
  type MembershipStatus,
  type VerifiedMembershipList,
  signMembershipList,
  parseMembershipList,
  verifyMembershipList,
} from './membership-list.js';
export { type KeyRotationStatement, type KeyRotationBody, signKeyRotation, parseKeyRotation, verifyKeyRotation, followKeyRotations } from './rotation.js';
export {
  type InvitationStatement,
  type InvitationStatementBody,
  signInvitationStatement,
  parseInvitationStatement,
  verifyInvitationStatement,
} from './invitation.js';
