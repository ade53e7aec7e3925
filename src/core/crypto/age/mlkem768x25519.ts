/**
 * The hybrid post-quantum recipient type (C2SP age, "The MLKEM768-X25519 (i.e.
 * X-Wing) hybrid post-quantum recipient type"): the file key is sealed with
 * HPKE base mode (RFC 9180) using the MLKEM768-X25519 KEM of
 * c2sp.org/hpke-hybrids (draft-ietf-hpke-pq), HKDF-SHA256 and
 * ChaCha20-Poly1305, info `age-encryption.org/mlkem768x25519`, empty aad.
 *
 * The KEM (seed expansion with SHAKE256, ML-KEM-768, X25519 and the SHA3-256
 * combiner) is @noble/post-quantum's `ml_kem768_x25519`. No noble module offers
 * HPKE, so its key schedule (LabeledExtract / LabeledExpand over HKDF-SHA256)
 * is built here from @noble/hashes; the AEAD is @noble/ciphers.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { base64nopad } from '@scure/base';
import { concatBytes } from './bytes.js';
import { ageError } from './errors.js';
import { decodeBase64Strict, type Stanza } from './header.js';

export const hybridStanzaType = 'mlkem768x25519';
/** Identity (decapsulation seed), recipient (encapsulation key) and enc sizes of MLKEM768-X25519. */
export const hybridSeedSize = 32;
export const hybridPublicKeySize = 1216;
const encSize = 1120;
const bodySize = 32;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const info = utf8('age-encryption.org/mlkem768x25519');
const hpkeVersion = utf8('HPKE-v1');
// suite_id = "HPKE" || kem_id (0x647a, MLKEM768-X25519) || kdf_id (0x0001, HKDF-SHA256) || aead_id (0x0003, ChaCha20Poly1305)
const suiteId = concatBytes(utf8('HPKE'), new Uint8Array([0x64, 0x7a, 0x00, 0x01, 0x00, 0x03]));
const empty = new Uint8Array(0);
const modeBase = new Uint8Array([0x00]);
const keySize = 32;
const nonceSize = 12;

function labeledExtract(salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, concatBytes(hpkeVersion, suiteId, utf8(label), ikm), salt);
}

function labeledExpand(prk: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const prefix = new Uint8Array([length >>> 8, length & 0xff]);
  return expand(sha256, prk, concatBytes(prefix, hpkeVersion, suiteId, utf8(label), context), length);
}

/** RFC 9180 KeySchedule in base mode (no PSK): the AEAD key and base nonce for the first (only) message. */
function keySchedule(sharedSecret: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const pskIdHash = labeledExtract(empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(empty, 'info_hash', info);
  const context = concatBytes(modeBase, pskIdHash, infoHash);
  const secret = labeledExtract(sharedSecret, 'secret', empty);
  return {
    key: labeledExpand(secret, 'key', context, keySize),
    // Sequence number 0: the nonce is the base nonce itself.
    nonce: labeledExpand(secret, 'base_nonce', context, nonceSize),
  };
}

/** The encapsulation key (`age1pq1…` payload) that belongs to a 32-byte identity seed. */
export function hybridPublicKeyOf(seed: Uint8Array): Uint8Array {
  if (!(seed instanceof Uint8Array) || seed.length !== hybridSeedSize) {
    throw ageError('AGE_IDENTITY', 'an MLKEM768-X25519 identity is 32 bytes');
  }
  return ml_kem768_x25519.getPublicKey(seed);
}

/** A fresh identity seed and its encapsulation key. */
export function generateHybridKeyPair(): { seed: Uint8Array; publicKey: Uint8Array } {
  const { secretKey, publicKey } = ml_kem768_x25519.keygen();
  return { seed: secretKey, publicKey };
}

/** HPKE SealBase of `fileKey` to `recipient` (1216-byte encapsulation key). */
export function wrapFileKeyHybrid(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  if (recipient.length !== hybridPublicKeySize) {
    throw ageError('AGE_RECIPIENT', 'an MLKEM768-X25519 recipient is 1216 bytes');
  }
  let encapsulated: { cipherText: Uint8Array; sharedSecret: Uint8Array };
  try {
    encapsulated = ml_kem768_x25519.encapsulate(recipient);
  } catch (cause) {
    // An ML-KEM key that fails the modulus check, or a low-order X25519 half.
    throw ageError('AGE_RECIPIENT', 'the recipient is not a usable MLKEM768-X25519 public key', cause);
  }
  const { key, nonce } = keySchedule(encapsulated.sharedSecret);
  const body = chacha20poly1305(key, nonce).encrypt(fileKey);
  return { args: [hybridStanzaType, base64nopad.encode(encapsulated.cipherText)], body };
}

/**
 * The file key if `stanza` is an mlkem768x25519 stanza addressed to the
 * identity `seed`; null if it is another type or for someone else. A malformed
 * stanza (argument count, enc length, non-canonical base64, body length) and an
 * X25519 half that makes the shared secret zero are header failures, as the
 * spec and the CCTV vectors require.
 */
export function unwrapFileKeyHybrid(stanza: Stanza, seed: Uint8Array): Uint8Array | null {
  if (stanza.args[0] !== hybridStanzaType) return null;
  if (stanza.args.length !== 2) {
    throw ageError('AGE_HEADER', 'age header: an mlkem768x25519 stanza must have exactly one enc argument');
  }
  const enc = decodeBase64Strict(stanza.args[1]!, 'an mlkem768x25519 enc');
  if (enc.length !== encSize) throw ageError('AGE_HEADER', 'age header: an mlkem768x25519 enc is not 1120 bytes');
  // Checked before decrypting, so a body of another length cannot probe the key (partitioning oracles).
  if (stanza.body.length !== bodySize) {
    throw ageError('AGE_HEADER', 'age header: an mlkem768x25519 stanza body is not 32 bytes');
  }
  let sharedSecret: Uint8Array;
  try {
    // ML-KEM decapsulation never fails (implicit rejection); only a low-order X25519 half throws.
    sharedSecret = ml_kem768_x25519.decapsulate(enc, seed);
  } catch (cause) {
    throw ageError('AGE_HEADER', 'age header: the X25519 part of the mlkem768x25519 enc is a low-order point', cause);
  }
  const { key, nonce } = keySchedule(sharedSecret);
  try {
    return chacha20poly1305(key, nonce).decrypt(stanza.body);
  } catch {
    return null;
  }
}
