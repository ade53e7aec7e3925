import { ClearingError, type AccountSummary, type ClientBrowser, type ClientSystem, type FreshFactor, type MemberId, type SessionSummary } from '../../core/index.js';
import { appendAuditEntry } from '../audit/index.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../http/authorize.js';
import { findOrganization } from '../organization/repository.js';
import { withFreshFactor } from './fresh-factor.js';
import { confirmPendingTotpSecret, findMemberById, findPendingTotpSecret, listActiveSessions, revokeSessionByPublicId, setPendingTotpSecret, updateMember } from './repository/index.js';
import type { AuthContext } from './context.js';
import { claimAttempt, clearFailures } from './repository/throttle.js';
import { matchTotp, newRecoveryCodes, newTotpSecret, totpUri } from './totp.js';
import { listAuthenticators, registrationOptions, secondFactorThrottleKey, type RelyingParty } from './webauthn.js';

/** The member's own account: second factors, recovery codes, sessions. Every change is audited with counts only. */

const pendingTotpLifetimeMs = 10 * 60 * 1000;

export async function accountSummary(database: Database, memberId: MemberId): Promise<AccountSummary> {
  const member = await findMemberById(database.db, memberId);
  if (!member) throw new ClearingError('MEMBER_NOT_FOUND', 'No such member.', { status: 404 });
  return {
    totpEnabled: member.totpEnabledAt !== null,
    recoveryCodesLeft: member.recoveryCodes.length,
    authenticators: await listAuthenticators(database.db, memberId),
  };
}

/** Registration options for one more authenticator, after a fresh second factor. */
export async function beginAddingAuthenticator(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ options: unknown }> {
  return withFreshFactor(ctx, actor, rp, fresh, (tx) => registrationOptions(tx, actor, rp));
}

/** A new set of recovery codes; the old set stops working in the same transaction. */
export async function regenerateRecoveryCodes(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ recoveryCodes: string[] }> {
  const { codes, hashes } = newRecoveryCodes();
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await updateMember(tx, actor.memberId, { recoveryCodes: hashes });
    await appendAuditEntry(tx, { action: 'auth.recovery_codes_regenerated', actorId: actor.memberId, subjectId: actor.memberId, detail: { remaining: hashes.length } });
  });
  return { recoveryCodes: codes };
}

/** A new TOTP secret, pending: the old one keeps working until a code from the new one confirms it. */
export async function beginTotpReenrollment(ctx: AuthContext, actor: Actor, rp: RelyingParty, fresh: FreshFactor): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  // Sealed like the secret it will replace (same member, same server secret), so confirming it just moves it.
  const sealed = ctx.secrets.sealTotpSecret(actor.memberId, secret);
  await withFreshFactor(ctx, actor, rp, fresh, async (tx) => {
    await setPendingTotpSecret(tx, actor.memberId, sealed, new Date(Date.now() + pendingTotpLifetimeMs));
  });
  const org = await findOrganization(ctx.database.db);
  return { secret, uri: totpUri(secret, org?.name ?? '', actor.name) };
}

export async function confirmTotpReenrollment(ctx: AuthContext, actor: Actor, code: string): Promise<void> {
  const { database } = ctx;
  const throttleKey = secondFactorThrottleKey(actor.memberId);
  await claimAttempt(database.db, throttleKey);
  const row = await findPendingTotpSecret(database.db, actor.memberId);
  const pending = row?.sealed ?? null;
  if (!pending || !row?.expiresAt || new Date(row.expiresAt).getTime() < Date.now()) {
    throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the new authenticator app first.', { status: 409 });
  }
  const secret = ctx.secrets.openTotpSecret(actor.memberId, pending);
  const step = secret === null ? null : matchTotp(secret, code.replace(/\s/g, ''), null);
  if (step === null) {
    throw new ClearingError('TOTP_INVALID', 'The code is wrong or expired.', { status: 401 });
  }
  await database.db.transaction().execute(async (tx) => {
    // Only the secret that was shown is confirmed: a second start in between voids this one.
    if (!(await confirmPendingTotpSecret(tx, actor.memberId, pending, step))) throw new ClearingError('TOTP_NOT_ENROLLING', 'Start setting up the new authenticator app first.', { status: 409 });
    await appendAuditEntry(tx, { action: 'auth.totp_reenrolled', actorId: actor.memberId, subjectId: actor.memberId });
    await clearFailures(tx, throttleKey);
  });
}

// ── Sessions ──

const browsers: readonly ClientBrowser[] = ['chrome', 'firefox', 'safari', 'edge', 'opera', 'other'];
const systems: readonly ClientSystem[] = ['windows', 'macos', 'linux', 'android', 'ios', 'other'];

/**
 * A coarse label for a user agent ("firefox/linux"), from fixed lists; the
 * user agent itself (versions, devices) is never stored.
 */
export function clientLabel(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgent.slice(0, 512);
  const browser: ClientBrowser = /Edg\//.test(ua)
    ? 'edge'
    : /OPR\/|Opera/.test(ua)
      ? 'opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'firefox'
        : /Chrome\/|Chromium\/|CriOS/.test(ua)
          ? 'chrome'
          : /Safari\//.test(ua)
            ? 'safari'
            : 'other';
  const system: ClientSystem = /Android/.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'ios'
      : /Windows/.test(ua)
        ? 'windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macos'
          : /Linux|X11|CrOS/.test(ua)
            ? 'linux'
            : 'other';
  return `${browser}/${system}`;
}

function parseLabel(label: string | null): { browser: ClientBrowser | null; system: ClientSystem | null } {
  const [b, s] = (label ?? '').split('/');
  return {
    browser: browsers.includes(b as ClientBrowser) ? (b as ClientBrowser) : null,
    system: systems.includes(s as ClientSystem) ? (s as ClientSystem) : null,
  };
}

export async function listSessions(database: Database, actor: Actor): Promise<SessionSummary[]> {
  const rows = await listActiveSessions(database.db, actor.memberId);
  return rows.map((r) => ({
    id: r.publicId,
    createdAt: new Date(r.createdAt).toISOString(),
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    current: r.idHash === actor.sessionHash,
    pending: r.stage !== 'full',
    ...parseLabel(r.clientLabel),
  }));
}

/** Ends one of the member's own sessions (this one too); says whether it was this one. */
export async function endSession(database: Database, actor: Actor, id: string): Promise<{ current: boolean }> {
  return database.db.transaction().execute(async (tx) => {
    const ended = await revokeSessionByPublicId(tx, actor.memberId, id);
    if (!ended) throw new ClearingError('SESSION_NOT_FOUND', 'There is no such session, or it has already ended.', { status: 404 });
    const current = ended === actor.sessionHash;
    await appendAuditEntry(tx, { action: 'auth.session_ended', actorId: actor.memberId, subjectId: actor.memberId, detail: { current } });
    return { current };
  });
}
