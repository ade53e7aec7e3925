/*
 * What the server's schemas accept, as pure checks a client runs before it
 * sends anything, so a person reads a translated sentence instead of a
 * schema error. The server checks again; these mirror its rules
 * (src/server/http/schemas.ts) and must change with them.
 */

export const memberNameLimits = { min: 2, max: 64 } as const;
const memberNamePattern = /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u;

export type MemberNameProblem = 'short' | 'long' | 'characters';

/** Why a member name (trimmed) would be refused, or null. */
export function memberNameProblem(name: string): MemberNameProblem | null {
  const trimmed = name.trim();
  if ([...trimmed].length < memberNameLimits.min) return 'short';
  if ([...trimmed].length > memberNameLimits.max) return 'long';
  if (!memberNamePattern.test(trimmed)) return 'characters';
  return null;
}

/** A code from an authenticator app: 6 to 8 digits, spaces ignored. Null when acceptable. */
export function totpCodeProblem(code: string): 'format' | null {
  return /^[0-9]{6,8}$/.test(code.replace(/\s/g, '')) ? null : 'format';
}

/** An invitation token as the link carries it (base64url, 16 to 128 characters). */
export function invitationTokenWellFormed(token: string): boolean {
  return /^[A-Za-z0-9_-]{16,128}$/.test(token);
}

/** The one-time setup code the server prints: 16 characters from its alphabet, case, spaces and dashes ignored. */
export function setupCodeWellFormed(code: string): boolean {
  return /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{16}$/.test(code.toUpperCase().replace(/[\s-]/g, ''));
}
