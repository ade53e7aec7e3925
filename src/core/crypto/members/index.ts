export {
  type KdfParams,
  type KdfPolicy,
  defaultKdfSettings,
  defaultKdfPolicy,
  insecureKdfPolicyForTests,
  insecureKdfParamsForTests,
  newKdfParams,
  parseKdfParams,
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
export { type NewMember, type PendingLogin, createMember, unlockMember, prepareLogin, changePassphrase } from './member.js';
export { fingerprint, fingerprintsMatch } from './fingerprint.js';
