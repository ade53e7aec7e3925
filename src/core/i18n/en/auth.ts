/** Logging in, the second factor, passphrases, locking. English. */

export const auth = {
  name: 'Member name',
  nameHint: 'A pseudonym your colleagues know you by, not your legal name: letters, digits, spaces, dots, dashes.',
  passphrase: 'Passphrase',
  loginTitle: 'Log in to {{organization}}',
  logIn: 'Log in',
  deriving: 'Deriving your key from the passphrase… this takes a few seconds.',
  unlocking: 'Unlocking your keys…',
  passphraseNeverSent: 'Your passphrase never leaves this browser: the server receives only a key derived from it.',
  cancelLogin: 'Cancel and log out',
};

export const totp = {
  title: 'Set up your second factor',
  intro: 'Scan this code with an authenticator app (for example Aegis, FreeOTP or Google Authenticator). From now on every login needs a code from it.',
  qrAlt: 'QR code for the authenticator app',
  manual: 'If you cannot scan it, type this key into the app:',
  code: 'Six-digit code',
  confirm: 'Confirm',
  recoveryTitle: 'Your recovery codes',
  recoveryIntro:
    'If you lose your phone, each of these codes lets you log in once instead of a six-digit code. They are shown only now. Keep them somewhere safe, away from your phone.',
  copyCodes: 'Copy the codes',
  savedCodes: 'I have saved the recovery codes',
  continue: 'Continue',
  secondFactorTitle: 'Second factor',
  codePrompt: 'Enter the six-digit code from your authenticator app.',
  recoveryPrompt: 'Enter one of your recovery codes. Each works only once.',
  recoveryCode: 'Recovery code',
  verify: 'Verify',
  useRecovery: 'Lost your phone? Use a recovery code',
  useCode: 'Use the code from the app',
  // WebAuthn at login (branch webauthn)
  useSecurityKey: 'Use a security key or passkey',
  securityKeyPrompt: 'Use one of the security keys or passkeys you registered: insert or touch the key, or confirm on your device.',
  waitingForKey: 'Waiting for your security key or passkey…',
  orCode: 'Or enter the six-digit code from your authenticator app instead.',
  leaveWarning: 'Your recovery codes are not saved yet. Leave anyway?',
};

export const passphrase = {
  legend: 'Passphrase',
  advice: 'At least {{min}} characters. Several random words are easy to remember and hard to guess; avoid names, dates and quotations.',
  new: 'New passphrase',
  confirm: 'Repeat the passphrase',
  strength: 'Passphrase strength',
  measuring: 'Measuring…',
  score0: 'Very weak',
  score1: 'Weak',
  score2: 'Fair, not enough',
  score3: 'Strong',
  score4: 'Very strong',
  tooShort: 'Use at least {{min}} characters.',
  tooWeak: 'Too easy to guess: add more random words.',
  mismatch: 'The two passphrases differ.',
  noRecovery:
    'Nobody can recover a forgotten passphrase: not an administrator, not the people who run this server. It is the only key to your keys. If you forget it, an administrator must invite you again, and whatever was shared only with your old keys is lost to you.',
  understood: 'I understand that nobody can recover my passphrase',
};

export const lock = {
  title: 'Your keys are locked',
  manual: 'You locked your keys. Your session is still open.',
  idle: 'Your keys were locked after {{minutes}} minutes without activity.',
  reload: 'Your keys are kept only in the memory of this page. Enter your passphrase to unlock them.',
  signedInAs: 'Logged in as {{name}}',
  unlock: 'Unlock',
};
