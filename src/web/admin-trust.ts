/*
 * What an administrator's browser signs with the organization key beyond
 * single certificates: the membership list after every change, the
 * organization-key rotation after an administrator leaves, and administrator
 * invitations. Each step re-checks what the server says against the pinned
 * key first, so nothing the server swapped in gets laundered by a signature.
 */
import {
  asMemberId,
  certifyMember,
  decodePublicKey,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  organizationFingerprint,
  sealOrganizationKey,
  signInvitationStatement,
  signKeyRotation,
  signMembershipList,
  verifyMembershipList,
  type MemberCertificate,
  type MemberSummary,
  type MembershipListRequest,
  type MembershipListResponse,
  type OrganizationKeyPair,
  type OrganizationPublicKey,
  type RotateOrganizationKeyRequest,
  type Role,
} from '../core/index.js';
import { api, ApiError } from './api.js';
import type { CounterStore } from './membership.js';
import { checkMemberCertificate, pinOrganizationKey, type PinStore } from './trust.js';

/** The part of the session these use cases need. */
export interface OrganizationSigner {
  memberId: string;
  pinned: OrganizationPublicKey;
  withOrganizationKey<T>(use: (pair: OrganizationKeyPair) => T): T;
}

/** Members whose certificate (v2) the pinned key signed for exactly the keys, name and role the server lists, and who are not removed. */
function vouchedFor(pinned: OrganizationPublicKey, members: readonly MemberSummary[]): MemberSummary[] {
  return members.filter((m) => m.status !== 'removed' && checkMemberCertificate(pinned, m).state === 'valid');
}

function entries(members: readonly MemberSummary[]): MembershipListRequest['members'] {
  return members.map((m) => ({
    id: asMemberId(m.id),
    name: m.name,
    role: m.role,
    status: m.status,
    encryptionPublicKey: decodePublicKey(m.encryptionPublicKey, 'x25519'),
    signingPublicKey: decodePublicKey(m.signingPublicKey, 'ed25519'),
  }));
}

/** The counter of the newest list, checked against the pinned key and this browser's highest seen (0 before the first). */
async function currentCounter(pinned: OrganizationPublicKey, counters: CounterStore): Promise<number> {
  const current = await api<MembershipListResponse>('/api/organization/membership-list');
  if (current.list === null) {
    if (counters.get() > 0) throw new ApiError('MEMBERSHIP_LIST_ROLLBACK', 0, 'list missing');
    return 0;
  }
  return verifyMembershipList(pinned, current.list, { minCounter: counters.get() }).counter;
}

/** Signs and publishes the list of who is a member now; returns its counter. */
export async function publishMembershipList(signer: OrganizationSigner, counters: CounterStore): Promise<number> {
  const members = vouchedFor(signer.pinned, await api<MemberSummary[]>('/api/members'));
  const counter = (await currentCounter(signer.pinned, counters)) + 1;
  const list = signer.withOrganizationKey((pair) => signMembershipList(pair.privateKey, { counter, issuedBy: asMemberId(signer.memberId), members: entries(members) }));
  await api('/api/organization/membership-list', { method: 'POST', body: { list } });
  counters.set(counter);
  return counter;
}

export type RotationStep = { step: 'generating' } | { step: 'certifying'; done: number; total: number } | { step: 'sealing' } | { step: 'publishing' } | { step: 'done'; fingerprint: string };

/** Lets the browser paint each step of the progress indicator. */
const paint = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Replaces the organization key: a new key pair made here, every member the
 * old key vouched for certified again with it, it sealed to each remaining
 * active administrator, a statement signed by the old key, and the first
 * list under the new key; then this browser's pin moves to it.
 */
export async function rotateOrganizationKey(signer: OrganizationSigner, pins: PinStore, counters: CounterStore, progress: (step: RotationStep) => void): Promise<string> {
  progress({ step: 'generating' });
  await paint();
  const all = await api<MemberSummary[]>('/api/members');
  const certified = all.filter((m) => m.status !== 'removed' && m.certificate !== null);
  // Every certificate the server holds must be one the old key made for exactly these keys: re-signing a swap would launder it.
  for (const m of certified) {
    const check = checkMemberCertificate(signer.pinned, m);
    if (check.state === 'invalid' || check.state === 'none') throw new ApiError('KEY_SUBSTITUTION', 0, `certificate of ${m.id} does not verify`);
  }
  const counter = (await currentCounter(signer.pinned, counters)) + 1;
  const next = generateOrganizationKey();
  try {
    const statement = signer.withOrganizationKey((old) => signKeyRotation(old, next.publicKey, asMemberId(signer.memberId)));
    const certificates: Array<{ memberId: string; certificate: MemberCertificate }> = [];
    for (const [i, m] of certified.entries()) {
      progress({ step: 'certifying', done: i, total: certified.length });
      if (i % 10 === 0) await paint();
      certificates.push({
        memberId: m.id,
        certificate: certifyMember(next.privateKey, {
          memberId: asMemberId(m.id),
          name: m.name,
          role: m.role,
          encryptionPublicKey: decodePublicKey(m.encryptionPublicKey, 'x25519'),
          signingPublicKey: decodePublicKey(m.signingPublicKey, 'ed25519'),
          issuedBy: asMemberId(signer.memberId),
        }),
      });
    }
    progress({ step: 'sealing' });
    await paint();
    const sealedKeys = certified
      .filter((m) => m.role === 'administrator' && m.status === 'active')
      .map((m) => ({ memberId: m.id, sealedOrganizationKey: sealOrganizationKey(next, decodePublicKey(m.encryptionPublicKey, 'x25519')) }));
    const membershipList = signMembershipList(next.privateKey, { counter, issuedBy: asMemberId(signer.memberId), members: entries(certified) });
    progress({ step: 'publishing' });
    await paint();
    const body: RotateOrganizationKeyRequest = { statement, certificates, sealedKeys, membershipList };
    await api('/api/organization/key-rotation', { method: 'POST', body });
    pinOrganizationKey(pins, encodeOrganizationPublicKey(next.publicKey));
    counters.set(counter);
    const fingerprint = organizationFingerprint(next.publicKey);
    progress({ step: 'done', fingerprint });
    return fingerprint;
  } finally {
    next.privateKey.fill(0);
  }
}

/** An administrator invitation needs the organization key's signature over its id, role and expiry. */
export function signedInvitation(signer: OrganizationSigner, role: Role, expiresInHours: number) {
  return signer.withOrganizationKey((pair) =>
    signInvitationStatement(pair.privateKey, {
      invitationId: crypto.randomUUID(),
      role,
      expiresAt: new Date(Date.now() + expiresInHours * 3600_000).toISOString(),
      issuedBy: asMemberId(signer.memberId),
    }),
  );
}
