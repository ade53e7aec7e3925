export {
  type KdfParams,
  type KdfPolicy,
  defaultKdfSettings,
  defaultKdfPolicy,
  insecureKdfPolicyForTests,
  insecureKdfParamsForTests,
  newKdfParams,
  parseKdfParams,
  checkKdfPolicy,
  deriveMasterKey,
  deriveAuthKey,
} from './kdf.js';
export {
  type MemberKeys,
  type MemberPublicKeys,
  generateMemberKeys,
  memberKeysFromPrivate,
  wipeMemberKeys,
  encodePublicKey,
  decodePublicKey,
  decodeX25519PublicKey,
  decodeEd25519PublicKey,
} from './keys.js';
export { type KeyBundle, sealKeyBundle, openKeyBundle, parseKeyBundle, boundOrganizationKey } from './bundle.js';
export {
  type NewMember,
  type PendingLogin,
  type PassphraseChangeProof,
  createMember,
  unlockMember,
  prepareLogin,
  rewrapKeyBundle,
  passphraseChangeStatement,
  passphraseChangeSignatureLabel,
  preparePassphraseChange,
} from './member.js';
export {
  type AuthKeyPair,
  type AuthSigningKey,
  type LoginProofContext,
  type LoginProofPurpose,
  loginProofPurposes,
  deriveAuthKeyPair,
  signLoginProof,
  verifyLoginProof,
  encodeAuthPublicKey,
  decodeAuthPublicKey,
} from './login-proof.js';
export { fingerprint, fingerprintsMatch } from './fingerprint.js';
