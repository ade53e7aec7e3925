/** Shared pieces of the interface: layout, components, forms. English. */

/** Strings of the web app's design system, layout and forms (one block, to keep catalogue merges easy). */
export const ui = {
  title: '{{page}} — {{app}}',
  toast: { region: 'Notifications', dismiss: 'Dismiss' },
  nav: {
    openMenu: 'Menu',
    closeMenu: 'Close menu',
    work: 'Casework',
    organization: 'Organization',
    you: 'You',
    coming: 'coming',
    cases: 'Cases',
    tasks: 'Tasks',
    search: 'Search',
    evidence: 'Evidence',
    signedInAs: 'Logged in as {{name}}',
  },
  coming: {
    title: 'Not here yet',
    cases: 'Cases will live here: each person you help, their journey and their testimony, encrypted so that only the members let into a case can read it.',
    search: 'Search will find cases by words you remember, without the server learning the words.',
    evidence: 'Evidence files (documents, photos, chat exports) will be kept here, encrypted in your browser before upload.',
    back: 'Back to Home',
  },
  errors: {
    validation: 'Some of what was entered was not accepted. Check the form and try again.',
    validationField: 'The {{field}} was not accepted. Check it and try again.',
    KEY_BUNDLE_CHANGED:
      'Your passphrase is right, but your stored keys no longer open: they were changed on the server. Do not go on; tell an administrator through another channel.',
    INVITATION_LINK_INCOMPLETE:
      'This invitation link is incomplete. Copy the whole link, including everything after #, or ask the administrator who invited you for a new one.',
    TOTP_CODE_FORMAT: 'Enter the 6 digits your authenticator app shows.',
    INVITATION_REVOKED: 'An administrator withdrew this invitation. Ask them for a new link.',
  },
  fields: {
    name: 'name',
    organizationName: 'organization name',
    setupCode: 'setup code',
    code: 'code',
    recoveryCode: 'recovery code',
    token: 'invitation link',
    role: 'role',
    expiresInHours: 'validity',
    actor: 'member',
    passphrase: 'passphrase',
    defaultLanguage: 'default language',
  },
  validation: {
    nameShort: 'A name needs at least {{min}} characters.',
    nameLong: 'A name can have at most {{max}} characters; this one has {{count}}. Shorten it: nothing is cut off for you.',
    nameCharacters: 'A name starts with a letter or digit and may contain letters, digits, spaces, dots, dashes and underscores.',
    nameLength: '{{count}} of {{max}} characters',
    setupCode: 'The setup code has 16 letters and digits, as the server printed it (for example ABCD-EFGH-JKMN-PQRS).',
    organizationName: 'Enter the organization’s name.',
  },
  lock: { done: 'Locked. Your keys were wiped from this browser; the passphrase opens them again.' },
  confirm: {
    logoutEverywhereTitle: 'Log out on all devices?',
    logoutEverywhereBody: 'Every session of yours ends, this one included. You will need your passphrase and second factor on each device again.',
    revokeTitle: 'Revoke this invitation?',
    revokeBody: 'The link ({{role}}, expires {{expires}}) stops working at once. Whoever has it can no longer join.',
  },
  invitations: { revoked: 'Invitation revoked.', none: 'No invitations yet.' },
  members: { none: 'No members yet.' },
  audit: {
    entryNumber: 'No.',
    anyMember: 'Any member',
    offlineCommand: 'clearing audit verify --head <file>',
  },
};
