import { randomBytes } from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

/**
 * The server keeps only a memory-hard hash of each member's authentication key,
 * so a copied database cannot be used to log in. The key itself is already
 * 256 random-looking bits derived in the browser; this cost guards against a
 * weak passphrase behind it and bounds how fast a stolen hash can be tested.
 */
export const serverHashParams = { memorySize: 19 * 1024, iterations: 2, parallelism: 1, hashLength: 32 } as const;

export async function hashAuthKey(authKey: Uint8Array): Promise<string> {
  return argon2id({ password: authKey, salt: randomBytes(16), ...serverHashParams, outputType: 'encoded' });
}

export async function verifyAuthKey(authKey: Uint8Array, encoded: string): Promise<boolean> {
  try {
    return await argon2Verify({ password: authKey, hash: encoded });
  } catch {
    return false;
  }
}

/** Spends the same effort for an unknown name as for a known one, so timing reveals nothing. */
let dummyHash: Promise<string> | null = null;
export async function burnEquivalentTime(authKey: Uint8Array): Promise<void> {
  dummyHash ??= hashAuthKey(randomBytes(32));
  await verifyAuthKey(authKey, await dummyHash);
}
