import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64url } from '../primitives/bytes.js';
import type { MasterKey } from '../primitives/keys.js';
import { asyncErrorCode, bitLength, errorCode, flipField, flipJsonBit, jsonBitLength, withField } from '../primitives/testing.js';
import { openKeyBundle, parseKeyBundle, sealKeyBundle } from './bundle.js';
import { fingerprint, fingerprintsMatch } from './fingerprint.js';
import {
  defaultKdfPolicy,
  defaultKdfSettings,
  deriveAuthKey,
  deriveMasterKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests as weak,
  newKdfParams,
  parseKdfParams,
} from './kdf.js';
import { decodeEd25519PublicKey, decodePublicKey, decodeX25519PublicKey, encodePublicKey, generateMemberKeys, wipeMemberKeys } from './keys.js';
import { rewrapKeyBundle, createMember, prepareLogin, unlockMember } from './member.js';

const passphrase = 'correct horse battery staple';

describe('KDF parameters', () => {
  it('default to at least 64 MiB and 3 passes, with a fresh 16-byte salt', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(a.memoryKiB).toBeGreaterThanOrEqual(64 * 1024);
    expect(a.iterations).toBeGreaterThanOrEqual(3);
    expect(a).toMatchObject({ algorithm: 'argon2id', version: 19, ...defaultKdfSettings });
    expect(a.salt).not.toBe(b.salt);
    expect(parseKdfParams(a)).toEqual(a);
  });

  it('the default policy refuses parameters a malicious server might weaken or inflate', async () => {
    for (const bad of [
      newKdfParams({ memoryKiB: 32 * 1024 }),
      newKdfParams({ iterations: 2 }),
      newKdfParams({ memoryKiB: 4 * 1024 * 1024 }),
      newKdfParams({ iterations: 100 }),
      newKdfParams({ parallelism: 64 }),
    ]) {
      expect(await asyncErrorCode(() => deriveMasterKey(passphrase, bad))).toBe('KDF_PARAMS_REJECTED');
    }
    expect(defaultKdfPolicy.minMemoryKiB).toBe(64 * 1024);
  });

  it('refuses malformed parameters', () => {
    const good = newKdfParams();
    for (const [field, value] of [
      ['algorithm', 'argon2i'],
      ['version', 16],
      ['memoryKiB', 1.5],
      ['iterations', 0],
      ['parallelism', -1],
      ['salt', toBase64url(new Uint8Array(8))],
      ['salt', 'not base64!'],
    ] as const) {
      expect(errorCode(() => parseKdfParams(withField(good, field, value)))).toBe('KDF_PARAMS_REJECTED');
    }
    expect(errorCode(() => parseKdfParams({ ...good, extra: 1 }))).toBe('KDF_PARAMS_REJECTED');
  });
});

describe('master key and authentication key', () => {
  it('NFKC-normalizes the passphrase', async () => {
    const params = insecureKdfParamsForTests();
    // "ﬁ" (U+FB01) is "fi" under NFKC; "é" composed and decomposed are the same.
    const a = await deriveMasterKey('ﬁle café', params, weak);
    const b = await deriveMasterKey('file cafe\u0301', params, weak);
    expect(a).toEqual(b);
  });

  it('refuses an empty passphrase', async () => {
    expect(await asyncErrorCode(() => deriveMasterKey('', insecureKdfParamsForTests(), weak))).toBe('PASSPHRASE_INVALID');
  });

  it('the authentication key differs from the master key and from the bundle key', async () => {
    const params = insecureKdfParamsForTests();
    const master = await deriveMasterKey(passphrase, params, weak);
    const auth = deriveAuthKey(master);
    expect(auth).toHaveLength(32);
    expect(toBase64url(auth)).not.toBe(toBase64url(master));
    // The bundle opens with the master key but not with the authentication key in its place.
    const bundle = sealKeyBundle(master, generateMemberKeys(), params);
    expect(errorCode(() => openKeyBundle(auth as unknown as MasterKey, bundle))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });
});

describe('key bundle', () => {
  it('round-trips the member keys, and carries the public keys in the clear', async () => {
    const { keys, bundle, authKey } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    expect(bundle.encryptionPublicKey).toBe(encodePublicKey(keys.encryption.publicKey));
    expect(bundle.signingPublicKey).toBe(encodePublicKey(keys.signing.publicKey));
    const unlocked = await unlockMember(passphrase, JSON.parse(JSON.stringify(bundle)), weak);
    expect(unlocked.keys).toEqual(keys);
    expect(unlocked.authKey).toEqual(authKey);
  });

  it('a wrong passphrase is KEY_BUNDLE_WRONG_PASSPHRASE', async () => {
    const { bundle } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    expect(await asyncErrorCode(() => unlockMember('correct horse battery stapler', bundle, weak))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });

  it('unlocking with the default policy refuses a bundle with weak parameters', async () => {
    const { bundle } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    expect(await asyncErrorCode(() => unlockMember(passphrase, bundle))).toBe('KDF_PARAMS_REJECTED');
  });

  describe('every single-bit flip is detected', async () => {
    const params = insecureKdfParamsForTests();
    const master = await deriveMasterKey(passphrase, params, weak);
    const bundle = sealKeyBundle(master, generateMemberKeys(), params);
    for (const field of ['nonce', 'ciphertext', 'encryptionPublicKey', 'signingPublicKey', 'kdf.salt']) {
      it(`in ${field}`, () => {
        for (let bit = 0; bit < bitLength(bundle, field); bit++) {
          expect(errorCode(() => openKeyBundle(master, flipField(bundle, field, bit)))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
        }
      });
    }
    it('in the parameters and the version', () => {
      for (const [field, value] of [
        ['kdf.memoryKiB', params.memoryKiB + 1],
        ['kdf.iterations', params.iterations + 1],
        ['kdf.parallelism', params.parallelism + 1],
      ] as const) {
        expect(errorCode(() => openKeyBundle(master, withField(bundle, field, value)))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
      }
      expect(errorCode(() => openKeyBundle(master, withField(bundle, 'v', 3)))).toBe('FORMAT_VERSION_UNSUPPORTED');
      expect(errorCode(() => openKeyBundle(master, withField(bundle, 'v', 0)))).toBe('KEY_BUNDLE_MALFORMED');
    });
    it('anywhere in the JSON text', () => {
      fc.assert(
        fc.property(fc.nat(jsonBitLength(bundle) - 1), (bit) => {
          expect(['KEY_BUNDLE_WRONG_PASSPHRASE', 'KEY_BUNDLE_MALFORMED', 'FORMAT_VERSION_UNSUPPORTED']).toContain(
            errorCode(() => openKeyBundle(master, flipJsonBit(bundle, bit))),
          );
        }),
        { numRuns: 400 },
      );
    });
  });

  it('garbage, truncated and oversized bundles are KEY_BUNDLE_MALFORMED', async () => {
    const { bundle } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    const text = JSON.stringify(bundle);
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      'not json',
      '',
      [],
      {},
      text.slice(0, text.length / 2),
      text.slice(0, -1),
      `${text.slice(0, -1)},"pad":"${'x'.repeat(10_000)}"}`,
      'x'.repeat(1_000_000),
      { ...bundle, extra: true },
      withField(bundle, 'ciphertext', bundle.ciphertext.slice(0, -4)),
      withField(bundle, 'ciphertext', `${bundle.ciphertext}AAAA`),
      withField(bundle, 'nonce', 42),
      withField(bundle, 'kdf', null),
      Object.assign(Object.create({ inherited: true }) as object, bundle),
    ];
    for (const input of garbage) expect(errorCode(() => parseKeyBundle(input))).toBe('KEY_BUNDLE_MALFORMED');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(errorCode(() => parseKeyBundle(value))).toBe('KEY_BUNDLE_MALFORMED');
      }),
      { numRuns: 200 },
    );
  });
});

describe('prepareLogin', () => {
  it('derives the same authentication key from the published parameters, then opens the bundle', async () => {
    const { keys, bundle, authKey } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    const login = await prepareLogin(passphrase, JSON.parse(JSON.stringify(bundle.kdf)), weak);
    expect(login.authKey).toEqual(authKey);
    expect(login.openBundle(bundle)).toEqual(keys);
    login.wipe();
    expect(errorCode(() => login.openBundle(bundle))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });

  it('refuses weak published parameters before running Argon2', async () => {
    expect(await asyncErrorCode(() => prepareLogin(passphrase, insecureKdfParamsForTests()))).toBe('KDF_PARAMS_REJECTED');
    expect(await asyncErrorCode(() => prepareLogin(passphrase, { nonsense: true }))).toBe('KDF_PARAMS_REJECTED');
  });
});

describe('rewrapKeyBundle', () => {
  it('keeps the member keys, changes salt, bundle and authentication key', async () => {
    const { keys, bundle, authKey } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    const changed = await rewrapKeyBundle(passphrase, 'a new passphrase', bundle, insecureKdfParamsForTests(), weak);
    expect(changed.bundle.kdf.salt).not.toBe(bundle.kdf.salt);
    expect(toBase64url(changed.authKey)).not.toBe(toBase64url(authKey));
    const unlocked = await unlockMember('a new passphrase', changed.bundle, weak);
    expect(unlocked.keys).toEqual(keys);
    expect(unlocked.authKey).toEqual(changed.authKey);
    expect(await asyncErrorCode(() => unlockMember(passphrase, changed.bundle, weak))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });

  it('needs the old passphrase', async () => {
    const { bundle } = await createMember(passphrase, insecureKdfParamsForTests(), weak);
    expect(await asyncErrorCode(() => rewrapKeyBundle('guess', 'new', bundle, insecureKdfParamsForTests(), weak))).toBe('KEY_BUNDLE_WRONG_PASSPHRASE');
  });
});

describe('at the real parameters', () => {
  it('creates, unlocks and re-wraps a member with the default Argon2id cost', { timeout: 60_000 }, async () => {
    const member = await createMember(passphrase);
    expect(member.bundle.kdf).toMatchObject(defaultKdfSettings);
    const unlocked = await unlockMember(passphrase, member.bundle);
    expect(unlocked.keys).toEqual(member.keys);
    const changed = await rewrapKeyBundle(passphrase, 'another one', member.bundle);
    expect(changed.bundle.kdf.memoryKiB).toBeGreaterThanOrEqual(member.bundle.kdf.memoryKiB);
  });
});

describe('public keys', () => {
  it('encode and decode with a length check', () => {
    const keys = generateMemberKeys();
    expect(decodeX25519PublicKey(encodePublicKey(keys.encryption.publicKey))).toEqual(keys.encryption.publicKey);
    expect(decodePublicKey(encodePublicKey(keys.signing.publicKey), 'ed25519')).toEqual(keys.signing.publicKey);
    expect(errorCode(() => decodeX25519PublicKey(toBase64url(new Uint8Array(31))))).toBe('KEY_INVALID');
    expect(errorCode(() => decodeEd25519PublicKey('%%'))).toBe('KEY_INVALID');
  });

  it('wipeMemberKeys zeroes the private keys', () => {
    const keys = generateMemberKeys();
    wipeMemberKeys(keys);
    expect(keys.encryption.privateKey.every((b) => b === 0)).toBe(true);
    expect(keys.signing.privateKey.every((b) => b === 0)).toBe(true);
  });
});

describe('fingerprint', () => {
  it('is 12 groups of 5 digits, stable for the same keys and different for others', () => {
    const a = generateMemberKeys();
    const b = generateMemberKeys();
    const fa = fingerprint(a.encryption.publicKey, a.signing.publicKey);
    expect(fa).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(fingerprint(a.encryption.publicKey, a.signing.publicKey)).toBe(fa);
    expect(fingerprint(b.encryption.publicKey, b.signing.publicKey)).not.toBe(fa);
    // Order matters: the encryption key comes first.
    expect(fingerprint(a.signing.publicKey, a.encryption.publicKey)).not.toBe(fa);
  });

  it('has a fixed known answer (changing the construction changes every fingerprint people compared)', () => {
    expect(fingerprint(new Uint8Array(32), new Uint8Array(32).fill(1))).toBe('09418 25441 08644 04081 71783 68846 80716 60308 28176 95733 49827 03453');
  });

  it('fingerprintsMatch ignores spacing and dashes, and wants all 60 digits', () => {
    const keys = generateMemberKeys();
    const f = fingerprint(keys.encryption.publicKey, keys.signing.publicKey);
    expect(fingerprintsMatch(f, f.replace(/ /g, '-'))).toBe(true);
    expect(fingerprintsMatch(f, f.replace(/ /g, ''))).toBe(true);
    expect(fingerprintsMatch(f, f.slice(0, 29))).toBe(false);
    const other = (f[0] === '9' ? '0' : String(Number(f[0]) + 1)) + f.slice(1);
    expect(fingerprintsMatch(f, other)).toBe(false);
  });
});
