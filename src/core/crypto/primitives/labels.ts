/**
 * Every domain-separation label of the core in one table, so a reviewer can
 * see at a glance that no two uses of a key share one. Labels are fixed
 * forever for a format version: changing one breaks every stored value.
 * Each ends before a newline in the bytes it prefixes, and none contains one,
 * so the set is prefix-free (checked by labels.test.ts).
 */
export const labels = {
  /** HKDF info: master key → login authentication key. */
  authKey: 'clearing/member/auth-key/v1',
  /** HKDF info: master key → seed of the Ed25519 key that signs login proofs. */
  authSigningKey: 'clearing/member/auth-signing-key/v1',
  /** Signed by the authentication key: a server challenge with member id, origin and purpose. */
  loginProof: 'clearing/login-proof/v1',
  /** HKDF info: master key → key that wraps the member's private keys. */
  bundleKey: 'clearing/member/bundle-key/v1',
  /** AEAD associated data of the key bundle. */
  keyBundle: 'clearing/key-bundle/v1',
  /** HKDF info of the X25519 sealed box. */
  x25519Seal: 'clearing/x25519-seal/v1',
  memberFingerprint: 'clearing/fingerprint/member/v1',
  organizationFingerprint: 'clearing/fingerprint/organization/v1',
  auditLogKeyFingerprint: 'clearing/fingerprint/audit-log-key/v1',
  /** Signed by the organization key. */
  memberCertificate: 'clearing/member-certificate/v1',
  /** Signed by the organization key: certificates that name the member. */
  memberCertificateV2: 'clearing/member-certificate/v2',
  /** Signed by the organization key: who is a member, in what role, with which keys, at which counter. */
  membershipList: 'clearing/membership-list/v1',
  /** Signed by the outgoing organization key: the key that replaces it. */
  organizationKeyRotation: 'clearing/organization-key-rotation/v1',
  /** Signed by the organization key: an invitation (id, role, expiry) that a certified administrator made. */
  invitationStatement: 'clearing/invitation-statement/v1',
  /** Sealed-box context of the organization private key. */
  organizationKey: 'clearing/organization-key/v1',
  /** Signed by member keys: free-form messages under a caller's label. */
  memberSignature: 'clearing/member-signature/v1',
  /** Sealed-box context of a compartment private key. */
  compartmentKey: 'clearing/compartment-key/v1',
  /** Signed by member keys: a compartment key granted to a member. */
  compartmentGrant: 'clearing/compartment-grant/v1',
  recordKey: 'clearing/compartment/record-key/v1',
  searchKey: 'clearing/compartment/search-key/v1',
  /** AEAD associated data of a record. */
  record: 'clearing/record/v1',
  /** Signed by member keys: a sealed record. */
  recordSignature: 'clearing/record-signature/v1',
  /** Signed by member keys: one statement of a case's chain (opening, grant, rotation). */
  caseStatement: 'clearing/case-statement/v1',
  /** Hash of a case statement, linking the next one to it. */
  caseStatementHash: 'clearing/case-statement-hash/v1',
  /** HKDF info: a compartment's epoch key → the key that wraps the previous epoch's key. */
  epochLinkKey: 'clearing/compartment/epoch-link-key/v1',
  /** AEAD associated data of the previous epoch's key, wrapped by the next. */
  epochLink: 'clearing/compartment/epoch-link/v1',
} as const;
