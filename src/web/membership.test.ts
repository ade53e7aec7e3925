import { describe, expect, it } from 'vitest';
import {
  asMemberId,
  signMemberCertificate,
  createMember,
  encodeOrganizationPublicKey,
  encodePublicKey,
  generateMemberKeys,
  generateOrganizationKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests,
  signKeyRotation,
  signMembershipList,
  type OrganizationKeyPair,
} from '../core/index.js';
import { checkMembershipList, verifyDirectoryWithList, type CounterStore } from './membership.js';
import { followRotation, pinFromBundle } from './pin.js';
import { checkOrganizationPin, type PinStore } from './trust.js';

const org = generateOrganizationKey();
const orgKey = encodeOrganizationPublicKey(org.publicKey);
const admin = asMemberId('a0000000-0000-4000-8000-000000000001');
const anna = { id: 'b0000000-0000-4000-8000-000000000002', name: 'Anna', role: 'coordinator' as const, keys: generateMemberKeys() };
const boris = { id: 'c0000000-0000-4000-8000-000000000003', name: 'Boris', role: 'specialist' as const, keys: generateMemberKeys() };

const counters = (value = 0): CounterStore & { value: number } => {
  const s = {
    value,
    get: () => s.value,
    set: (v: number) => {
      s.value = v;
    },
  };
  return s;
};
const pins = (value: string | null = null): PinStore & { value: string | null } => {
  const s = {
    value,
    get: () => s.value,
    set: (v: string) => {
      s.value = v;
    },
  };
  return s;
};
const listOf = (counter: number, members: Array<typeof anna | typeof boris>, signer: OrganizationKeyPair = org) =>
  signMembershipList(signer.privateKey, {
    counter,
    issuedBy: admin,
    members: members.map((m) => ({
      id: asMemberId(m.id),
      name: m.name,
      role: m.role,
      status: 'active',
      encryptionPublicKey: m.keys.encryption.publicKey,
      signingPublicKey: m.keys.signing.publicKey,
    })),
  });
const entry = (m: typeof anna | typeof boris, name = m.name) => ({
  id: m.id,
  name,
  role: m.role,
  encryptionPublicKey: encodePublicKey(m.keys.encryption.publicKey),
  signingPublicKey: encodePublicKey(m.keys.signing.publicKey),
  certificate: signMemberCertificate(org.privateKey, {
    memberId: asMemberId(m.id),
    name: m.name,
    role: m.role,
    encryptionPublicKey: m.keys.encryption.publicKey,
    signingPublicKey: m.keys.signing.publicKey,
    issuedBy: admin,
  }),
});

describe('the membership list in the browser', () => {
  it('remembers the highest counter and calls an older list, or none, a rollback', () => {
    const store = counters();
    expect(checkMembershipList(org.publicKey, { list: null }, store).state).toBe('missing');
    expect(checkMembershipList(org.publicKey, { list: listOf(5, [anna]) }, store).state).toBe('verified');
    expect(store.value).toBe(5);
    expect(checkMembershipList(org.publicKey, { list: listOf(4, [anna, boris]) }, store)).toEqual({ state: 'failed', code: 'MEMBERSHIP_LIST_ROLLBACK' });
    expect(checkMembershipList(org.publicKey, { list: null }, store)).toEqual({ state: 'failed', code: 'MEMBERSHIP_LIST_ROLLBACK' });
    expect(checkMembershipList(org.publicKey, { list: listOf(6, [anna], generateOrganizationKey()) }, store)).toEqual({
      state: 'failed',
      code: 'MEMBERSHIP_LIST_WRONG_ORGANIZATION',
    });
    expect(store.value).toBe(5);
  });
  it('trusts colleagues only as listed, under the certified name; swapped names are refused', () => {
    const check = checkMembershipList(org.publicKey, { list: listOf(1, [anna]) }, counters());
    if (check.state !== 'verified') throw new Error('list did not verify');
    const result = verifyDirectoryWithList(org.publicKey, check.list, [entry(anna), entry(boris), { ...entry(anna), name: 'Boris' }]);
    expect(result.trusted.map((t) => t.member.name)).toEqual(['Anna']);
    expect(result.rejected.map((r) => r.code)).toEqual(['NOT_LISTED', 'CERTIFICATE_MISMATCH']);
  });
});

describe('moving and setting the pin', () => {
  const next = generateOrganizationKey();
  const nextKey = encodeOrganizationPublicKey(next.publicKey);
  const chain = [signKeyRotation(org, next.publicKey, admin)];
  it('follows a signed rotation from the pinned key, and nothing else', async () => {
    const store = pins(orgKey);
    const pin = await followRotation(store, checkOrganizationPin(store, nextKey), nextKey, async () => chain);
    expect(pin.state).toBe('match');
    expect(store.value).toBe(nextKey);
    const rogue = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
    expect((await followRotation(store, checkOrganizationPin(store, rogue), rogue, async () => chain)).state).toBe('mismatch');
    expect(store.value).toBe(nextKey);
  });
  it('on a new device, pins the key the opened bundle binds, or one a rotation leads to; refuses any other', async () => {
    const made = await createMember('a passphrase long enough', insecureKdfParamsForTests(), insecureKdfPolicyForTests, orgKey);
    let store = pins();
    expect(await pinFromBundle(store, made.bundle, orgKey, async () => [])).toMatchObject({ state: 'pinned' });
    expect(store.value).toBe(orgKey);
    store = pins();
    expect((await pinFromBundle(store, made.bundle, nextKey, async () => chain)).state).toBe('pinned');
    expect(store.value).toBe(nextKey);
    store = pins();
    const rogue = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
    expect(await pinFromBundle(store, made.bundle, rogue, async () => chain)).toMatchObject({ state: 'mismatch', pinned: orgKey, offered: rogue });
    expect(store.value).toBeNull();
  });
  it('asks the person to compare the fingerprint for a version-1 bundle', async () => {
    const old = await createMember('a passphrase long enough', insecureKdfParamsForTests(), insecureKdfPolicyForTests);
    const store = pins();
    expect(await pinFromBundle(store, old.bundle, orgKey, async () => [])).toMatchObject({ state: 'unconfirmed', offered: orgKey });
    expect(store.value).toBeNull();
  });
});
