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
  certifyMember,
  parseMemberCertificate,
  verifyMemberCertificate,
} from './certificate.js';
export { type MemberSigner, memberSigner, signWithMemberKey, verifyMemberSignature, assertMemberSignature } from './signatures.js';
