/*
 * What an administrator's browser signs with the organization key beyond
 * single certificates: the membership list after every change, the
 * organization-key rotation after an administrator leaves, and administrator
 * invitations. Each step re-checks what the server says against the pinned
 * key first, so nothing the server swapped in gets laundered by a signature.
 * What is signed is decided in core (src/core/membership/prepare.ts).
 */
import {
  asMemberId,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  organizationFingerprint,
  prepareInvitation,
  prepareKeyRotation,
  prepareMembershipList,
  signKeyRotation,
  verifyMembershipList,
  type InviteRequest,
  type MemberSummary,
  type OrganizationKeyPair,
  type OrganizationPublicKey,
  type Role,
} from '../core/index.js';
import { ApiError } from './api.js';
import { api } from './api/client.js';
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

/** The counter of the newest list, checked against the pinned key and this browser's highest seen (0 before the first). */
async function currentCounter(pinned: OrganizationPublicKey, counters: CounterStore): Promise<number> {
  const current = await api.organization.membershipList();
  if (current.list === null) {
    if (counters.get() > 0) throw new ApiError('MEMBERSHIP_LIST_ROLLBACK', 0, 'list missing');
    return 0;
  }
  return verifyMembershipList(pinned, current.list, { minCounter: counters.get() }).counter;
}

/** Signs and publishes the list of who is a member now; returns its counter. */
export async function publishMembershipList(signer: OrganizationSigner, counters: CounterStore): Promise<number> {
  const members = vouchedFor(signer.pinned, await api.members.list());
  const counter = (await currentCounter(signer.pinned, counters)) + 1;
  const body = signer.withOrganizationKey((pair) => prepareMembershipList(pair, { counter, issuedBy: asMemberId(signer.memberId), members }));
  await api.organization.publishMembershipList(body);
  counters.set(counter);
  return counter;
}

export type RotationStep =
  | { step: 'generating' }
  | { step: 'certifying'; done: number; total: number }
  | { step: 'sealing' }
  | { step: 'publishing' }
  | { step: 'done'; fingerprint: string };

/** Lets the browser paint each step of the progress indicator. */
const paint = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Replaces the organization key: a new key pair made here, every member the
 * old key vouched for certified again with it, it sealed to each remaining
 * active administrator, a statement signed by the old key, and the first
 * list under the new key; then this browser's pin moves to it.
 */
export async function rotateOrganizationKey(
  signer: OrganizationSigner,
  pins: PinStore,
  counters: CounterStore,
  progress: (step: RotationStep) => void,
): Promise<string> {
  progress({ step: 'generating' });
  await paint();
  const all = await api.members.list();
  const certified = all.filter((m) => m.status !== 'removed' && m.certificate !== null);
  // Every certificate the server holds must be one the old key made for exactly these keys: re-signing a swap would launder it.
  for (const m of certified) {
    const check = checkMemberCertificate(signer.pinned, m);
    if (check.state === 'invalid' || check.state === 'none') throw new ApiError('KEY_SUBSTITUTION', 0, `certificate of ${m.id} does not verify`);
  }
  const counter = (await currentCounter(signer.pinned, counters)) + 1;
  const next = generateOrganizationKey();
  try {
    // The old key is opened for the statement only; everything else is signed with the new one.
    const statement = signer.withOrganizationKey((old) => signKeyRotation(old, next.publicKey, asMemberId(signer.memberId)));
    const body = await prepareKeyRotation(statement, next, { counter, issuedBy: asMemberId(signer.memberId), certified }, async (step, i) => {
      progress(step);
      if (step.step !== 'certifying' || i % 10 === 0) await paint();
    });
    await api.organization.rotateKey(body);
    pinOrganizationKey(pins, encodeOrganizationPublicKey(next.publicKey));
    counters.set(counter);
    const fingerprint = organizationFingerprint(next.publicKey);
    progress({ step: 'done', fingerprint });
    return fingerprint;
  } finally {
    next.privateKey.fill(0);
  }
}

/** POST /api/invitations: an administrator invitation carries the organization key's signature over its id, role and expiry. */
export function invitationRequest(signer: OrganizationSigner | null, role: Role, expiresInHours: number): InviteRequest {
  const input = { role, expiresInHours, invitationId: crypto.randomUUID(), issuedBy: asMemberId(signer?.memberId ?? '') };
  if (role !== 'administrator' || !signer) return prepareInvitation(null, input);
  return signer.withOrganizationKey((pair) => prepareInvitation(pair, input));
}
