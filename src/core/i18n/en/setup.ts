/** First-run setup of the organization. English. */

export const setup = {
  codeLegend: 'Server',
  code: 'Setup code from the server console',
  codeHint:
    'The server printed it on its console when it started, as four groups of four letters and digits; the command clearing doctor on the server shows it again. It makes sure that whoever reaches a new server first cannot take it over.',
  title: 'Set up Clearing',
  intro:
    'This server has not been set up yet. Create the organization and its first administrator. Every key is made here, in your browser; the server never sees your passphrase.',
  organizationName: 'Organization name',
  organizationNameHint: 'Shown to members. Avoid anything that identifies a person.',
  defaultLanguage: 'Default language',
  submit: 'Create organization',
  submitting: 'Creating…',
  done: 'The organization is set up.',
  organizationLegend: 'Organization',
  adminLegend: 'First administrator',
  generating: 'Making the organization key and your keys… this takes a few seconds.',
  fingerprintIntro: "This is the organization fingerprint. Each member's app shows it when they join and checks it from then on.",
  fingerprintShare:
    'Write it down and give it to every member through another channel (in person, by phone, or in a message you trust), never only through this server. Whoever sees different digits must not join.',
  nextLogin: 'Now log in as the administrator to set up your second factor.',
  continueToLogin: 'Continue to log in',
};
