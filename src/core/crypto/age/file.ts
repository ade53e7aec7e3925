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

/** The start of an age file, for writers that place the payload's chunks themselves. */
export interface AgeFileStart {
  /** The header and the payload nonce: the file's first bytes. */
  readonly header: Uint8Array;
  /** The key that seals the payload's chunks (see ageChunkNonce for their nonces). */
  readonly payloadKey: Uint8Array;
}

/**
 * Draws a file key and wraps it to every recipient: X25519 public keys (32
 * bytes each; see decodeRecipient for the `age1…` form) or hybrid
 * post-quantum recipients (see decodeHybridRecipient for `age1pq1…`), not
 * both in one file. A bad recipient fails here, before any output exists.
 */
export function startAgeFile(recipients: readonly AgeRecipient[]): AgeFileStart {
  if (recipients.length === 0) throw ageError('AGE_RECIPIENT', 'age: at least one recipient is required');
  const hybrid = recipients.filter((r) => !(r instanceof Uint8Array)).length;
  // The spec: a file for a post-quantum recipient SHOULD NOT also be readable by a classical key (age refuses too).
  if (hybrid > 0 && hybrid < recipients.length) {
    throw ageError('AGE_RECIPIENT', 'age: post-quantum recipients cannot be mixed with X25519 recipients');
  }
  const fileKey = randomBytes(fileKeySize);
  const stanzas: Stanza[] = recipients.map((r) => (r instanceof Uint8Array ? wrapFileKeyX25519(fileKey, r) : wrapFileKeyHybrid(fileKey, r.publicKey)));
  const nonce = randomBytes(payloadNonceSize);
  return { header: concatBytes(encodeHeader(stanzas, fileKey), nonce), payloadKey: payloadKey(fileKey, nonce) };
}

/** Encrypts `plaintext` to every recipient (see startAgeFile). Yields the age file. */
export function encryptFile(plaintext: ByteSource, recipients: readonly AgeRecipient[], options: EncryptOptions = {}): AsyncGenerator<Uint8Array> {
  const start = startAgeFile(recipients);
  const aead = options.aead ?? nobleChunkAead;
  async function* binary(): AsyncGenerator<Uint8Array> {
    const reader = new ByteReader(plaintext);
    try {
      yield start.header;
      yield* sealPayload(reader, start.payloadKey, aead);
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

/** What the header of a binary age file yields: where the payload starts and its key. */
export interface OpenedAgeFile {
  readonly payloadKey: Uint8Array;
  /** Bytes before the payload's first chunk: the header and the payload nonce. */
  readonly payloadOffset: number;
}

/** Reads the header and nonce, finds the file key, checks the MAC; leaves `reader` at the first chunk. */
async function openHeader(reader: ByteReader, prepared: readonly Unwrap[]): Promise<OpenedAgeFile> {
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
  return { payloadKey: payloadKey(fileKey, nonce), payloadOffset: header.length + payloadNonceSize };
}

/**
 * Opens the header of a binary (not armored) age file, for readers that fetch
 * the payload's chunks themselves: the same checks and outcomes as
 * decryptFile up to the payload. Reads no further than the nonce, then
 * closes `file`.
 */
export async function openAgeFile(file: ByteSource, identities: readonly AgeIdentity[]): Promise<OpenedAgeFile> {
  const prepared = identities.map(unwrapperFor);
  const reader = new ByteReader(file);
  try {
    return await openHeader(reader, prepared);
  } finally {
    await reader.close();
  }
}

/**
 * Decrypts an age file with any of `identities`: X25519 private keys (32
 * bytes; see decodeIdentity) or hybrid post-quantum identities (see
 * decodeAnyIdentity). Yields plaintext as it authenticates; throws a
 * ClearingError with an age code on failure, after yielding everything that
 * came before the failure.
 */
export async function* decryptFile(ciphertext: ByteSource, identities: readonly AgeIdentity[], options: DecryptOptions = {}): AsyncGenerator<Uint8Array> {
  // No identities is not refused up front: a malformed file is still reported as such.
  const prepared = identities.map(unwrapperFor);
  const aead = options.aead ?? nobleChunkAead;
  const outer = new ByteReader(ciphertext);
  let reader = outer;
  try {
    const mode = options.armor ?? 'auto';
    if (mode === true || (mode === 'auto' && (await looksArmored(outer)))) reader = new ByteReader(dearmor(outer));
    const { payloadKey: key } = await openHeader(reader, prepared);
    yield* openPayload(reader, key, aead);
  } finally {
    await reader.close();
    await outer.close();
  }
}

/** Whole-buffer convenience for small files (records, tests). */
export async function encryptBytes(plaintext: Uint8Array, recipients: readonly AgeRecipient[], options: EncryptOptions = {}): Promise<Uint8Array> {
  return collectBytes(encryptFile(plaintext, recipients, options));
}

export async function decryptBytes(ciphertext: Uint8Array, identities: readonly AgeIdentity[], options: DecryptOptions = {}): Promise<Uint8Array> {
  return collectBytes(decryptFile(ciphertext, identities, options));
}
