import { randomBytes, createHash } from 'node:crypto';
import * as OTPAuth from 'otpauth';

/** TOTP as authenticator apps expect it: SHA-1, 6 digits, 30-second steps (RFC 6238 defaults). */
const period = 30;

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secret: string, organization: string, memberName: string): string {
  return new OTPAuth.TOTP({
    issuer: `Clearing ${organization}`.slice(0, 60),
    label: memberName,
    secret: OTPAuth.Secret.fromBase32(secret),
    period,
    digits: 6,
    algorithm: 'SHA1',
  }).toString();
}

/**
 * Checks a code against the current step and one either side, and returns the
 * step it matched so the caller can refuse the same code twice.
 */
export function matchTotp(secret: string, code: string, lastStep: number | null, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), period, digits: 6, algorithm: 'SHA1' });
  const delta = totp.validate({ token: code, window: 1, timestamp: now });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / period) + delta;
  if (lastStep !== null && step <= lastStep) return null;
  return step;
}

/** Ten single-use recovery codes, shown once; only their hashes are kept. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(8).toString('hex');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12, 16)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[^0-9a-f]/g, ''),
    )
    .digest('base64url');
}
