/**
 * The shapes of the account page and of WebAuthn as a second factor. WebAuthn
 * options and responses are the JSON forms of the W3C spec (as
 * @simplewebauthn/browser produces and consumes them); core keeps them opaque.
 */

/** A fresh second factor, asked for before a change an attacker with a stolen session must not make: one of the two. */
export interface FreshFactor {
  /** A six-digit code from the authenticator app, not used before. */
  code?: string;
  /** An assertion over a challenge from POST /api/auth/webauthn/options (a full session asks for one too). */
  assertion?: unknown;
}

/** POST /api/auth/webauthn/options — a single-use challenge for the member's registered authenticators. */
export interface WebauthnAssertionOptions {
  /** PublicKeyCredentialRequestOptionsJSON */
  options: unknown;
}
/** POST /api/auth/webauthn — the second factor of a login, instead of a TOTP code. */
export interface WebauthnLoginRequest {
  assertion: unknown;
}

/** A registered authenticator as its owner sees it. */
export interface AuthenticatorSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}
/** POST /api/me/authenticators/options — needs a fresh second factor. */
export type AuthenticatorRegistrationOptionsRequest = FreshFactor;
export interface AuthenticatorRegistrationOptions {
  /** PublicKeyCredentialCreationOptionsJSON */
  options: unknown;
}
/** POST /api/me/authenticators — the browser's answer to those options, and a name for the authenticator. */
export interface AddAuthenticatorRequest {
  name: string;
  registration: unknown;
}
/** POST /api/me/authenticators/:id/name */
export interface RenameAuthenticatorRequest {
  name: string;
}
/** DELETE /api/me/authenticators/:id takes no body; the last second factor cannot be removed. */

/** GET /api/me/account — what the account page shows about the second factors. */
export interface AccountSummary {
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  authenticators: AuthenticatorSummary[];
}

/** POST /api/me/recovery-codes — a new set, which voids the old one; shown once. */
export type RegenerateRecoveryCodesRequest = FreshFactor;
export interface RecoveryCodesResponse {
  recoveryCodes: string[];
}

/** POST /api/me/totp — start replacing the TOTP secret (the old one stays until confirmed). */
export type TotpReenrollRequest = FreshFactor;
/** POST /api/me/totp/confirm — a code from the new secret replaces the old one. */
export interface TotpReenrollConfirmRequest {
  code: string;
}

/** Coarse facts about a browser: families from a fixed list, never the user agent itself. */
export type ClientBrowser = 'chrome' | 'firefox' | 'safari' | 'edge' | 'opera' | 'other';
export type ClientSystem = 'windows' | 'macos' | 'linux' | 'android' | 'ios' | 'other';

/** GET /api/me/sessions */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
  /** Second factor still pending. */
  pending: boolean;
  browser: ClientBrowser | null;
  system: ClientSystem | null;
}
/** DELETE /api/me/sessions/:id — ends one session (this one too, if asked). */
export interface EndSessionResponse {
  ok: true;
  current: boolean;
}
