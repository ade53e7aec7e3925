/** Trust in the organization key and the signed membership list. English. */

export const trust = {
  organizationFingerprint: 'Organization fingerprint',
  changedTitle: 'The organization key has changed',
  changedAdvice: 'Do not go on. Reach an administrator through another channel (in person or by phone) and compare fingerprints.',
  pinnedFingerprint: 'The key this browser trusts:',
  offeredFingerprint: 'The key the server presents now:',
  noKeyOffered: 'The server presents no organization key at all.',
  changedOnPurpose: 'An administrator told me the key was changed on purpose',
  confirmNewKey: 'An administrator read me the new fingerprint above through another channel, and every digit matches',
  trustNewKey: 'Trust the new key',
  refusedTitle: 'Keys not unlocked',
};

export const membership = {
  listMissing:
    'The organization has not published a signed list of members yet, so no colleague can be trusted. An administrator publishes one by opening the Members page.',
  failureTitle: 'The list of members cannot be trusted',
  failureAdvice: 'Until this is resolved, this browser trusts no colleague. Tell an administrator through another channel (in person or by phone).',
  asServerNames: 'as the server names them',
  reasons: {
    CERTIFICATE_INVALID: 'not certified by the organization',
    CERTIFICATE_WRONG_ORGANIZATION: 'certified by another organization key',
    CERTIFICATE_MISMATCH: 'the name, role or keys differ from what the organization certified',
    CERTIFICATE_OUTDATED: 'certified before names were certified: to be certified again',
    NOT_LISTED: 'not on the organization’s signed list of members',
    NOT_ACTIVE: 'suspended or removed according to the organization’s signed list',
    LIST_MISMATCH: 'the name, role or keys differ from the organization’s signed list',
    ORGANIZATION_KEY_CHANGED: 'the organization key is not the trusted one',
  },
  listInfo: 'Signed list of members no. {{counter}}',
  published: 'The signed list of members was updated (no. {{counter}}).',
  certState: { outdated: 'To be certified again' },
  certifyAgain: 'Certify again',
  unverifiedName: 'not certified yet',
  confusableWarning: 'This name looks like the name of another member ({{other}}). Do not certify it unless you are sure who this is.',
  rotationPendingTitle: 'The organization key must be replaced',
  rotationPendingBody:
    'An administrator who held the organization key was removed or demoted. Until the key is replaced, they could still vouch for keys. Replace it now; it takes a moment.',
  rotateNow: 'Replace the organization key',
  rotationTitle: 'Replacing the organization key',
  rotationIntro:
    'A new organization key is made in this browser. Every certified member is certified again with it, it is sealed to each remaining administrator, and the old key signs it so that members’ browsers move over by themselves.',
  rotationSteps: {
    generating: 'Making the new organization key',
    certifying: 'Certifying members again: {{done}} of {{total}}',
    sealing: 'Sealing the new key to the administrators',
    publishing: 'Saving the new key and the signed list of members',
    done: 'Done',
  },
  rotationProgress: 'Progress of the key replacement',
  rotationDone: 'The organization key was replaced. Read the new fingerprint to the members through another channel:',
  newFingerprint: 'New organization fingerprint',
  firstUseTitle: 'Compare the organization fingerprint',
  firstUseIntro:
    'This is the first login in this browser, and your keys were made before they recorded the organization key. Compare this fingerprint, digit by digit, with the one your administrator gave you through another channel.',
  firstUseMatches: 'The fingerprint is exactly the one my administrator gave me',
  firstUseConfirm: 'Trust this organization key',
  firstUseDiffers: 'If any digit differs, do not continue: log out and tell an administrator through another channel.',
};
