export { type CompartmentReference, checkCompartmentReference, sameCompartmentReference } from './reference.js';
export { type CompartmentKey, generateCompartmentKey, compartmentKeyFromPrivate, deriveRecordKey, deriveSearchKey } from './key.js';
export { type SealedCompartmentKey, sealCompartmentKey, parseSealedCompartmentKey, openCompartmentKey, checkSealedCompartmentKeySignature } from './sealed.js';
export {
  type CompartmentKeyring,
  newCompartmentKeyring,
  compartmentKeyring,
  addCompartmentKey,
  currentCompartmentKey,
  currentEpoch,
  compartmentKeyForEpoch,
  rotateCompartment,
} from './keyring.js';
export { compartmentAgeIdentity, compartmentAgeRecipient } from './age.js';
export { type EpochLink, linkPreviousEpoch, openPreviousEpoch } from './epoch-link.js';
