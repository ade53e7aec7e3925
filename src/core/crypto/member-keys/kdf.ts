import { argon2id } from 'hash-wasm';
import { randomBytes, toBase64url, utf8Encode } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { hkdfSha256 } from '../primitives/hkdf.js';
import type { AuthKey, BundleKey, MasterKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { StrictReader } from '../primitives/strict.js';

/** Argon2id parameters, stored with the bundle so they can be raised later without re-keying. */
export interface KdfParams {
  algorithm: 'argon2id';
  /** Argon2 version 0x13. */
  version: 19;
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  /** base64url, 16 random bytes. */
  salt: string;
}

/**
 * Chosen so one derivation takes about 0.7 s on the reference machine (2 cores,
 * hash-wasm in Node 20; see bench `crypto.argon2id`): 64 MiB took 0.36 s, below
 * the 0.5 s floor we aim for. hash-wasm computes lanes one after another, so
 * more parallelism would only add time, not strength.
 */
export const defaultKdfSettings = { memoryKiB: 128 * 1024, iterations: 3, parallelism: 1 } as const;

/**
 * What a client accepts from the server before running Argon2. The floor stops
 * a malicious server from serving weak parameters so that the authentication
 * key it receives at login becomes cheap to brute-force; the ceiling stops it
 * from freezing the browser.
 */
export interface KdfPolicy {
  minMemoryKiB: number;
  minIterations: number;
  maxMemoryKiB: number;
  maxIterations: number;
  maxParallelism: number;
}

export const defaultKdfPolicy: KdfPolicy = Object.freeze({
  minMemoryKiB: 64 * 1024,
  minIterations: 3,
  maxMemoryKiB: 1024 * 1024,
  maxIterations: 16,
  maxParallelism: 8,
});

/** For tests only: lets tiny parameters through so Argon2 runs in milliseconds. Never ship it to a client. */
export const insecureKdfPolicyForTests: KdfPolicy = Object.freeze({
  minMemoryKiB: 8,
  minIterations: 1,
  maxMemoryKiB: 1024 * 1024,
  maxIterations: 16,
  maxParallelism: 8,
});

/** Tiny parameters for tests, paired with insecureKdfPolicyForTests. */
export function insecureKdfParamsForTests(): KdfParams {
  return newKdfParams({ memoryKiB: 64, iterations: 1, parallelism: 1 });
}

export const saltLength = 16;
const maxPassphraseBytes = 4096;

export function newKdfParams(overrides: Partial<Pick<KdfParams, 'memoryKiB' | 'iterations' | 'parallelism'>> = {}): KdfParams {
  return {
    algorithm: 'argon2id',
    version: 19,
    memoryKiB: overrides.memoryKiB ?? defaultKdfSettings.memoryKiB,
    iterations: overrides.iterations ?? defaultKdfSettings.iterations,
    parallelism: overrides.parallelism ?? defaultKdfSettings.parallelism,
    salt: toBase64url(randomBytes(saltLength)),
  };
}

/** Strict validation of parameters received from the server. */
export function parseKdfParams(input: unknown, reader = new StrictReader('KDF_PARAMS_REJECTED'), field = 'kdf'): KdfParams {
  const o = reader.object(reader.json(input), field, ['algorithm', 'version', 'memoryKiB', 'iterations', 'parallelism', 'salt']);
  const parallelism = reader.integer(o.parallelism, `${field}.parallelism`, 1, 0xffffff);
  const params: KdfParams = {
    algorithm: reader.literal(o.algorithm, `${field}.algorithm`, 'argon2id'),
    version: reader.literal(o.version, `${field}.version`, 19),
    // RFC 9106 §3.1: at least 8 KiB per lane.
    memoryKiB: reader.integer(o.memoryKiB, `${field}.memoryKiB`, 8 * parallelism, 0xffffffff),
    iterations: reader.integer(o.iterations, `${field}.iterations`, 1, 0xffffffff),
    parallelism,
    salt: '',
  };
  reader.bytes(o.salt, `${field}.salt`, saltLength);
  params.salt = o.salt as string;
  return params;
}

export function checkKdfPolicy(params: KdfParams, policy: KdfPolicy): void {
  const ok =
    params.memoryKiB >= policy.minMemoryKiB &&
    params.memoryKiB <= policy.maxMemoryKiB &&
    params.iterations >= policy.minIterations &&
    params.iterations <= policy.maxIterations &&
    params.parallelism <= policy.maxParallelism;
  if (!ok) throw cryptoError('KDF_PARAMS_REJECTED', { memoryKiB: params.memoryKiB, iterations: params.iterations, parallelism: params.parallelism });
}

/** NFKC, so the same passphrase typed on different keyboards or systems gives the same key. */
export function normalizePassphrase(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string') throw cryptoError('PASSPHRASE_INVALID');
  const bytes = utf8Encode(passphrase.normalize('NFKC'));
  if (bytes.length === 0 || bytes.length > maxPassphraseBytes) throw cryptoError('PASSPHRASE_INVALID');
  return bytes;
}

/** The one call into hash-wasm, kept apart so the known-answer tests exercise exactly it. */
export async function argon2idHash(
  password: Uint8Array,
  salt: Uint8Array,
  cost: { memoryKiB: number; iterations: number; parallelism: number },
  secret?: Uint8Array,
): Promise<Uint8Array> {
  return argon2id({
    password,
    salt,
    ...(secret ? { secret } : {}),
    iterations: cost.iterations,
    parallelism: cost.parallelism,
    memorySize: cost.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
}

/** Argon2id (RFC 9106) of the NFKC-normalized passphrase; refuses parameters outside the policy. */
export async function deriveMasterKey(passphrase: string, params: KdfParams, policy: KdfPolicy = defaultKdfPolicy): Promise<MasterKey> {
  const checked = parseKdfParams(params);
  checkKdfPolicy(checked, policy);
  const password = normalizePassphrase(passphrase);
  const salt = new StrictReader('KDF_PARAMS_REJECTED').bytes(checked.salt, 'kdf.salt', saltLength);
  try {
    return (await argon2idHash(password, salt, checked)) as MasterKey;
  } finally {
    password.fill(0);
  }
}

/** What the client sends at login instead of the passphrase. */
export function deriveAuthKey(master: MasterKey): AuthKey {
  return hkdfSha256(master, undefined, labels.authKey) as AuthKey;
}

export function deriveBundleKey(master: MasterKey): BundleKey {
  return hkdfSha256(master, undefined, labels.bundleKey) as BundleKey;
}
