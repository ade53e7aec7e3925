import { describe, expect, it } from 'vitest';
import {
  encodeOrganizationPublicKey,
  generateMemberKeys,
  generateOrganizationKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests,
  createMember,
  prepareLogin,
  sealOrganizationKey,
} from '../../core/index.js';
import { openForUnlock } from '../session.js';
import { KeyStore } from './key-store.js';

describe('the key store', () => {
  it('opens the organization key for one call only and wipes it after', () => {
    const store = new KeyStore();
    const organization = generateOrganizationKey();
    const keys = generateMemberKeys();
    store.setMemberKeys(keys, sealOrganizationKey(organization, keys.encryption.publicKey));
    expect(store.hasOrganizationKey()).toBe(true);
    let seen: Uint8Array | null = null;
    const result = store.withOrganizationKey(organization.publicKey, (pair) => {
      seen = pair.privateKey;
      expect(pair.privateKey.some((b) => b !== 0)).toBe(true);
      return 'signed';
    });
    expect(result).toBe('signed');
    expect(seen!.every((b) => b === 0)).toBe(true);
  });

  it('refuses without a pinned key or while locked', () => {
    const store = new KeyStore();
    expect(() => store.withOrganizationKey(generateOrganizationKey().publicKey, () => 1)).toThrow();
    const keys = generateMemberKeys();
    store.setMemberKeys(keys, null);
    expect(() => store.withOrganizationKey(null, () => 1)).toThrow();
  });

  it('wipes every key on wipeAll and tells its listeners; forgetSession also forgets the login', () => {
    const store = new KeyStore();
    const keys = generateMemberKeys();
    let changes = 0;
    store.subscribe(() => changes++);
    store.setMemberKeys(keys, null);
    store.rememberAuthPublicKey('key');
    store.wipeAll();
    expect(store.memberKeys()).toBeNull();
    expect(keys.encryption.privateKey.every((b) => b === 0)).toBe(true);
    expect(store.authPublicKey()).toBe('key');
    expect(changes).toBe(2);
    store.forgetSession();
    expect(store.authPublicKey()).toBeNull();
  });
});

describe('Unlock with a passphrase that does not open the keys', () => {
  it('says "wrong passphrase" for a mistyped one, and "changed on the server" only when the passphrase is provably right', async () => {
    const orgKey = encodeOrganizationPublicKey(generateOrganizationKey().publicKey);
    const member = await createMember('the right passphrase', insecureKdfParamsForTests(), insecureKdfPolicyForTests, orgKey);
    const right = await prepareLogin('the right passphrase', member.bundle.kdf, insecureKdfPolicyForTests);
    const wrong = await prepareLogin('a mistyped passphrase', member.bundle.kdf, insecureKdfPolicyForTests);
    const accepted = right.authPublicKey;

    expect(openForUnlock(right, member.bundle, accepted).encryption.publicKey).toEqual(member.keys.encryption.publicKey);
    expect(() => openForUnlock(wrong, member.bundle, accepted)).toThrow(expect.objectContaining({ code: 'KEY_BUNDLE_WRONG_PASSPHRASE' }));
    // After a reload nothing tells them apart: the usual case is said.
    expect(() => openForUnlock(wrong, member.bundle, null)).toThrow(expect.objectContaining({ code: 'KEY_BUNDLE_WRONG_PASSPHRASE' }));

    // The right passphrase, a bundle that does not open: the server changed it.
    const other = await createMember('somebody else entirely', insecureKdfParamsForTests(), insecureKdfPolicyForTests, orgKey);
    expect(() => openForUnlock(right, other.bundle, accepted)).toThrow(expect.objectContaining({ code: 'KEY_BUNDLE_CHANGED' }));
  });
});
