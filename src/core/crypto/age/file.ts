/**
 * Encrypting and decrypting whole age files as streams. Outcomes, in the order
 * they are checked: armor (AGE_ARMOR) wherever the armor breaks, header syntax
 * (AGE_HEADER), no identity matches (AGE_NO_MATCH), header MAC (AGE_HMAC),
 * payload (AGE_PAYLOAD) — after releasing every chunk that authenticated.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { nobleChunkAead, type ChunkAead } from './aead.js';
import { armor, dearmor, looksArmored } from './armor.js';
import { ByteReader, collectBytes, concatBytes, type ByteSource } from './bytes.js';
import { ageError } from './errors.js';
import { bytesEqual, encodeHeader, headerMac, readHeader, type Stanza } from './header.js';
import type { AgeIdentity, AgeRecipient } from './keys.js';
import { unwrapFileKeyHybrid, wrapFileKeyHybrid } from './mlkem768x25519.js';
import { openPayload, payloadKey, payloadNonceSize, sealPayload } from './stream.js';
import { unwrapFileKeyX25519, wrapFileKeyX25519, x25519Identity, type X25519Identity } from './x25519.js';

const fileKeySize = 16;

export interface EncryptOptions {
  /** Write the ASCII armor (`age -a`) instead of binary. */
  readonly armor?: boolean;
  /** Chunk cipher; defaults to pure TypeScript. The server injects a native, multi-threaded one. */
  readonly aead?: ChunkAead;
}

export interface DecryptOptions {
  /** `auto` (default) detects the armor as `age -d` does; `true` requires it; `false` forbids it. */
  readonly armor?: boolean | 'auto';
  readonly aead?: ChunkAead;
}

/**
 * Encrypts `plaintext` to every recipient: X25519 public keys (32 bytes each;
 * see decodeRecipient for the `age1…` form) or hybrid post-quantum recipients
 * (see decodeHybridRecipient for `age1pq1…`), not both in one file. Yields the
 * age file.
 */
export function encryptFile(
  plaintext: ByteSource,
  recipients: readonly AgeRecipient[],
  options: EncryptOptions = {},
): AsyncGenerator<Uint8Array> {
  if (recipients.length === 0) throw ageError('AGE_RECIPIENT', 'age: at least one recipient is required');
  const hybrid = recipients.filter((r) => !(r instanceof Uint8Array)).length;
  // The spec: a file for a post-quantum recipient SHOULD NOT also be readable by a classical key (age refuses too).
  if (hybrid > 0 && hybrid < recipients.length) {
    throw ageError('AGE_RECIPIENT', 'age: post-quantum recipients cannot be mixed with X25519 recipients');
  }
  const fileKey = randomBytes(fileKeySize);
  // Wrapping happens now, so a bad recipient fails before any output is produced.
  const stanzas: Stanza[] = recipients.map((r) =>
    r instanceof Uint8Array ? wrapFileKeyX25519(fileKey, r) : wrapFileKeyHybrid(fileKey, r.publicKey),
  );
  const aead = options.aead ?? nobleChunkAead;
  async function* binary(): AsyncGenerator<Uint8Array> {
    const reader = new ByteReader(plaintext);
    try {
      const nonce = randomBytes(payloadNonceSize);
      yield concatBytes(encodeHeader(stanzas, fileKey), nonce);
      yield* sealPayload(reader, payloadKey(fileKey, nonce), aead);
    } finally {
      await reader.close();
    }
  }
  return options.armor ? armor(binary()) : binary();
}

type Unwrap = (stanza: Stanza) => Uint8Array | null;

function unwrapperFor(identity: AgeIdentity): Unwrap {
  if (identity instanceof Uint8Array) {
    const prepared: X25519Identity = x25519Identity(identity);
    return (stanza) => unwrapFileKeyX25519(stanza, prepared);
  }
  if (identity?.type !== 'mlkem768x25519' || !(identity.seed instanceof Uint8Array) || identity.seed.length !== 32) {
    throw ageError('AGE_IDENTITY', 'not an X25519 or MLKEM768-X25519 identity');
  }
  const seed = identity.seed;
  return (stanza) => unwrapFileKeyHybrid(stanza, seed);
}

/**
 * Decrypts an age file with any of `identities`: X25519 private keys (32
 * bytes; see decodeIdentity) or hybrid post-quantum identities (see
 * decodeAnyIdentity). Yields plaintext as it authenticates; throws a
 * ClearingError with an age code on failure, after yielding everything that
 * came before the failure.
 */
export async function* decryptFile(
  ciphertext: ByteSource,
  identities: readonly AgeIdentity[],
  options: DecryptOptions = {},
): AsyncGenerator<Uint8Array> {
  // No identities is not refused up front: a malformed file is still reported as such.
  const prepared = identities.map(unwrapperFor);
  const aead = options.aead ?? nobleChunkAead;
  const outer = new ByteReader(ciphertext);
  let reader = outer;
  try {
    const mode = options.armor ?? 'auto';
    if (mode === true || (mode === 'auto' && (await looksArmored(outer)))) reader = new ByteReader(dearmor(outer));

    const header = await readHeader(reader);
    let fileKey: Uint8Array | null = null;
    search: for (const unwrap of prepared) {
      for (const stanza of header.stanzas) {
        fileKey = unwrap(stanza);
        if (fileKey) break search;
      }
    }
    if (!fileKey) throw ageError('AGE_NO_MATCH', 'age: no identity matches any recipient stanza');
    if (!bytesEqual(headerMac(fileKey, header.macInput), header.mac)) {
      throw ageError('AGE_HMAC', 'age: the header MAC does not verify');
    }
    const nonce = await reader.read(payloadNonceSize);
    if (nonce.length < payloadNonceSize) throw ageError('AGE_HEADER', 'age header: the file ends before the payload nonce');
    yield* openPayload(reader, payloadKey(fileKey, nonce), aead);
  } finally {
    await reader.close();
    await outer.close();
  }
}

/** Whole-buffer convenience for small files (records, tests). */
export async function encryptBytes(
  plaintext: Uint8Array,
  recipients: readonly AgeRecipient[],
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  return collectBytes(encryptFile(plaintext, recipients, options));
}

export async function decryptBytes(
  ciphertext: Uint8Array,
  identities: readonly AgeIdentity[],
  options: DecryptOptions = {},
): Promise<Uint8Array> {
  return collectBytes(decryptFile(ciphertext, identities, options));
}
