import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { FreshFactor } from '../core/index.js';
import { ApiError } from './api.js';
import { api } from './api/client.js';

/**
 * The browser side of WebAuthn: asks the security key or passkey through
 * @simplewebauthn/browser and turns its failures into codes the UI translates
 * (a cancelled prompt is not a bug, and says so in words).
 */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'NotSupportedError') return new ApiError('WEBAUTHN_UNSUPPORTED', 0, 'not supported');
  if (name === 'SecurityError') return new ApiError('WEBAUTHN_UNAVAILABLE', 0, 'insecure context or bad RP ID');
  if (name === 'InvalidStateError') return new ApiError('AUTHENTICATOR_EXISTS', 0, 'already registered');
  return new ApiError('WEBAUTHN_CANCELLED', 0, 'cancelled or timed out');
}

export function webauthnSupported(): boolean {
  return browserSupportsWebAuthn();
}

/** Signs a challenge with one of the member's authenticators (login or confirmation, whatever the session is at). */
export async function assertWithAuthenticator(options: unknown): Promise<unknown> {
  if (!webauthnSupported()) throw new ApiError('WEBAUTHN_UNSUPPORTED', 0, 'not supported');
  try {
    return await startAuthentication({ optionsJSON: options as PublicKeyCredentialRequestOptionsJSON });
  } catch (error) {
    throw asApiError(error);
  }
}

/** Options from the server, then the authenticator's signature: a fresh factor for the account page. */
export async function confirmWithAuthenticator(): Promise<FreshFactor> {
  const { options } = await api.auth.webauthnOptions();
  if (!options) throw new ApiError('NO_AUTHENTICATORS', 0, 'no authenticators');
  return { assertion: await assertWithAuthenticator(options) };
}

export async function createCredential(options: unknown): Promise<unknown> {
  if (!webauthnSupported()) throw new ApiError('WEBAUTHN_UNSUPPORTED', 0, 'not supported');
  try {
    return await startRegistration({ optionsJSON: options as PublicKeyCredentialCreationOptionsJSON });
  } catch (error) {
    throw asApiError(error);
  }
}
