/** The shell of the app: name, navigation, home, about, shared words, the error page. English. */

export const app = {
  name: 'Clearing',
  tagline: 'Casework and testimony verification',
  skipToContent: 'Skip to main content',
  language: 'Language',
  loading: 'Loading…',
};

export const nav = {
  main: 'Main navigation',
  home: 'Home',
  about: 'About',
  members: 'Members',
  audit: 'Audit log',
  session: 'Session',
  lock: 'Lock',
  logout: 'Log out',
  logoutEverywhere: 'Log out on all devices',
  account: 'Account',
};

export const home = {
  title: 'Welcome to {{organization}}',
  intro:
    'Clearing keeps case files encrypted end to end. Only members who were let into a case can read it; a copy of this server reveals nothing about the people it serves.',
  signedInAs: 'You are logged in as {{name}} ({{role}}).',
  notCertified:
    "An administrator has not certified your keys yet; until then nobody's app will share a case with you. Read your key fingerprint below to an administrator by phone or in person so they can certify it.",
  ownCertificateProblem: 'The certificate the server returned for you does not match your own keys. Tell an administrator.',
  yourFingerprint: 'Your key fingerprint',
  yourFingerprintHint: 'An administrator compares these digits with you, by voice or in person, before certifying your keys.',
  colleaguesTitle: 'Colleagues',
  colleaguesIntro: 'Members whose keys the organization certified. Your browser checked each certificate against the organization key it trusts.',
  noColleagues: 'No other certified members yet.',
  securityTitle: 'Sessions',
  securityIntro: 'If you logged in on a device you no longer control, end every session, this one included.',
};

export const about = {
  title: 'About Clearing',
  body: 'Clearing is a self-hosted platform for organizations that help people leave forced military service: first contact, casework, the journey, and a verified, signed testimony.',
};

export const common = {
  cancel: 'Cancel',
  copy: 'Copy',
  copied: 'Copied.',
  copyFailed: 'Could not copy: select the text and copy it by hand.',
  refresh: 'Refresh',
};

export const errorPage = {
  notFoundTitle: 'Page not found',
  notFoundBody: 'There is no page at this address. Check the link or go back to the start.',
  failedTitle: 'Something went wrong',
  failedBody: 'The page could not be shown. Nothing was saved in a half-finished state; try again.',
  backHome: 'Back to the start',
  retry: 'Try again',
  forbiddenTitle: 'Not available to you',
};
