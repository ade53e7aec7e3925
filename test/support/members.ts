import * as OTPAuth from 'otpauth';
import { setupCodeFor } from './server.js';
import {
  signMemberCertificate,
  createMember,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests,
  prepareInvitation,
  prepareInvitationAcceptance,
  prepareLogin,
  prepareMembershipList,
  prepareSetup,
  toBase64url,
  verifyMembershipList,
  type MembershipStatus,
  type MemberKeys,
  type PendingLogin,
  type OrganizationKeyPair,
  type Role,
  type MemberId,
} from '../../src/core/index.js';

/**
 * A scripted member's browser: a cookie jar, the anti-forgery token, and the
 * same core functions the web app calls. Every request body it sends is kept,
 * so tests can prove what never left the client.
 */
export class Browserish {
  cookie: string | null = null;
  csrf: string | null = null;
  readonly sent: string[] = [];
  constructor(readonly base: string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    if (text) this.sent.push(text);
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(text ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      body: text,
      // A request that never answers fails with its path instead of hanging the test until its overall timeout.
      signal: AbortSignal.timeout(120_000),
    }).catch((error: unknown) => {
      throw new Error(`${method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const raw = await res.text();
    return { status: res.status, body: raw ? JSON.parse(raw) : null };
  }
  get(path: string) {
    return this.request('GET', path);
  }
  post(path: string, body?: unknown) {
    return this.request('POST', path, body);
  }
}

export interface TestMember {
  id: string;
  name: string;
  passphrase: string;
  keys: MemberKeys;
  role: Role;
  totpSecret?: string;
  recoveryCodes?: string[];
  /** Offsets (in 30-second steps) of codes already spent: the server accepts each step once. */
  usedSteps?: number;
}

/** `organizationKey` (base64url): the key bundle (v2) binds it, as the web app's do. */
export async function newMemberMaterial(passphrase: string, organizationKey?: string) {
  return createMember(passphrase, insecureKdfParamsForTests(), insecureKdfPolicyForTests, organizationKey);
}

type SetupOptions = { organizationName?: string; adminName?: string; passphrase?: string; realKdf?: boolean; setupCode?: string };

/** What the setup page sends: organization key, first administrator's keys, certificate and sealed organization key, all made client-side. */
export async function setupRequest(opts: SetupOptions = {}) {
  const organization = generateOrganizationKey();
  const passphrase = opts.passphrase ?? 'correct horse battery staple admin';
  const organizationKey = encodeOrganizationPublicKey(organization.publicKey);
  const material = opts.realKdf ? await createMember(passphrase, undefined, undefined, organizationKey) : await newMemberMaterial(passphrase, organizationKey);
  const id = crypto.randomUUID();
  // What the setup page sends, less the first membership list: tests start from an organization without one, as from before lists existed.
  const { membershipList: _firstList, ...body } = prepareSetup(organization, {
    setupCode: opts.setupCode ?? '',
    organizationName: opts.organizationName ?? 'Free Passage',
    defaultLanguage: 'en',
    administrator: { id, name: opts.adminName ?? 'admin', material },
  });
  const admin: TestMember = { id, name: opts.adminName ?? 'admin', passphrase, keys: material.keys, role: 'administrator' };
  return { body, organization, admin };
}

/** `realKdf`: the production Argon2id settings, for an administrator who will also log in through the web app (which refuses test settings). */
export async function setUpOrganization(client: Browserish, opts: SetupOptions = {}) {
  // The code the test server printed, unless the test brings its own.
  const { body, organization, admin } = await setupRequest({ ...opts, setupCode: opts.setupCode ?? setupCodeFor(client.base) ?? 'NO-CODE-PRINTED' });
  const res = await client.post('/api/setup', body);
  if (res.status !== 201) throw new Error(`setup failed: ${JSON.stringify(res.body)}`);
  return { organization, admin };
}

/** A TOTP code the server has not seen yet: each call moves to a later 30-second step within the accepted window. */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

export async function firstFactor(client: Browserish, name: string, passphrase: string) {
  const pre = await client.post('/api/auth/prelogin', { name });
  if (pre.status !== 200) return { status: pre.status, body: pre.body, pending: null };
  const pending = await prepareLogin(passphrase, pre.body.kdf, insecureKdfPolicyForTests);
  const res = await client.post('/api/auth/login', loginBody(client, name, pre.body, pending));
  if (res.status === 200) client.csrf = res.body.csrfToken;
  return { ...res, pending };
}

/** What the web app sends to log in: a proof over the challenge, for this member id and the server's origin. */
export function loginBody(client: Browserish, name: string, pre: { challenge: string; memberId: string; upgrade?: boolean }, pending: PendingLogin) {
  const proof = pending.prove({ purpose: 'login', challenge: pre.challenge, memberId: pre.memberId, origin: new URL(client.base).origin });
  return { name, challenge: pre.challenge, proof, ...(pre.upgrade ? { authKey: toBase64url(pending.authKey), authPublicKey: pending.authPublicKey } : {}) };
}

/** Logs a member all the way in, enrolling TOTP on the first login; returns their opened keys. */
export async function logIn(client: Browserish, member: TestMember): Promise<{ keys: MemberKeys; sealedOrganizationKey: unknown }> {
  const first = await firstFactor(client, member.name, member.passphrase);
  if (first.status !== 200 || !first.pending) throw new Error(`login failed: ${first.status} ${JSON.stringify(first.body)}`);
  if (first.body.stage === 'totp_enrollment') {
    const enrollment = await client.post('/api/auth/totp/enrollment');
    member.totpSecret = enrollment.body.secret;
    const confirm = await client.post('/api/auth/totp/enrollment/confirm', { code: totpCode(member.totpSecret!) });
    if (confirm.status !== 200) throw new Error(`totp enrollment failed: ${JSON.stringify(confirm.body)}`);
    // The full session comes with a new cookie and anti-forgery token.
    client.csrf = confirm.body.csrfToken;
    member.recoveryCodes = confirm.body.recoveryCodes;
    member.usedSteps = 0;
  } else {
    // The server accepts the next step too; beyond that, a person would wait, and a test uses a recovery code.
    const next = (member.usedSteps ?? 0) + 1;
    const body = next <= 1 ? { code: totpCode(member.totpSecret!, next) } : { recoveryCode: member.recoveryCodes!.shift()! };
    member.usedSteps = next;
    const second = await client.post('/api/auth/second-factor', body);
    if (second.status !== 200) throw new Error(`second factor failed: ${JSON.stringify(second.body)}`);
    client.csrf = second.body.csrfToken;
  }
  const keys = await client.get('/api/me/keys');
  const opened = first.pending.openBundle(keys.body.keyBundle);
  first.pending.wipe();
  return { keys: opened, sealedOrganizationKey: keys.body.sealedOrganizationKey };
}

/**
 * An administrator invitation needs the organization key's signature
 * (`signedBy`: the organization key pair and the inviting administrator's id).
 */
export async function inviteAndJoin(
  adminClient: Browserish,
  base: string,
  role: Role,
  name: string,
  passphrase = `passphrase of ${name} is long`,
  /** The organization key pair and the inviting administrator's id, to sign an administrator invitation; `realKdf` for a member who logs in through the web app. */
  signedBy?: { organization?: OrganizationKeyPair; adminId?: string; realKdf?: boolean },
) {
  const invitation = await adminClient.post(
    '/api/invitations',
    prepareInvitation(signedBy?.organization ?? null, {
      role,
      expiresInHours: 24,
      invitationId: crypto.randomUUID(),
      issuedBy: (signedBy?.adminId ?? '') as MemberId,
    }),
  );
  if (invitation.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invitation.body)}`);
  const client = new Browserish(base);
  // Bound to the organization key the server presents, as the invitation page does after the fingerprint comparison.
  const organizationKey = (await client.get('/api/setup')).body.organization.publicKey as string;
  const material = signedBy?.realKdf
    ? await createMember(passphrase, undefined, undefined, organizationKey)
    : await newMemberMaterial(passphrase, organizationKey);
  const id = crypto.randomUUID();
  const accepted = await client.post('/api/invitations/accept', prepareInvitationAcceptance(invitation.body.token, { id, name, material }));
  if (accepted.status !== 201) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  const member: TestMember = { id, name, passphrase, keys: material.keys, role };
  return { client, member, token: invitation.body.token as string };
}

export function certificateFor(organization: OrganizationKeyPair, member: TestMember, role: Role, issuedBy: string) {
  return signMemberCertificate(organization.privateKey, {
    memberId: member.id as MemberId,
    name: member.name,
    role,
    encryptionPublicKey: member.keys.encryption.publicKey,
    signingPublicKey: member.keys.signing.publicKey,
    issuedBy: issuedBy as MemberId,
  });
}

/**
 * What an administrator's browser publishes after a membership change: every
 * member the server lists as certified and not removed, signed with
 * `organization`, at the counter after the newest published list.
 */
export async function publishMembershipList(adminClient: Browserish, organization: OrganizationKeyPair, adminId: string) {
  const current = await adminClient.get('/api/organization/membership-list');
  const counter = current.body.list ? verifyMembershipList(organization.publicKey, current.body.list).counter + 1 : 1;
  const members = (
    (await adminClient.get('/api/members')).body as Array<{
      id: string;
      name: string;
      role: Role;
      status: MembershipStatus;
      certificate: unknown;
      encryptionPublicKey: string;
      signingPublicKey: string;
    }>
  ).filter((m) => m.status !== 'removed' && m.certificate !== null);
  const body = prepareMembershipList(organization, { counter, issuedBy: adminId as MemberId, members });
  const list = body.list;
  const res = await adminClient.post('/api/organization/membership-list', body);
  if (res.status !== 200) throw new Error(`publish failed: ${JSON.stringify(res.body)}`);
  return list;
}
