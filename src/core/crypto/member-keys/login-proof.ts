import { ed25519 } from '@noble/curves/ed25519.js';
import type { Brand } from '../../domain/ids.js';
import { fromBase64url, labelledJson, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { hkdfSha256 } from '../primitives/hkdf.js';
import { keyLength, signatureLength, type Ed25519PublicKey, type MasterKey } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { StrictReader, idPattern, maxIdLength } from '../primitives/strict.js';

/*
 * Login as a proof of possession. The master key derives (HKDF, its own label)
 * an Ed25519 key pair used for nothing but authentication; the server keeps
 * only its public half. At login the browser signs the server's single-use
 * challenge together with the member id, the origin it is talking to and the
 * purpose, so a recorded request is worthless: the challenge is spent, a new
 * one needs a new signature, and a signature made for one purpose or origin is
 * not valid for another. A copy of the database holds no login secret at all.
 */

/** The 32-byte seed of the authentication key; never leaves the device. */
export type AuthSigningKey = Brand<Uint8Array, 'AuthSigningKey'>;
export interface AuthKeyPair {
  publicKey: Ed25519PublicKey;
  privateKey: AuthSigningKey;
}

export function deriveAuthKeyPair(master: MasterKey): AuthKeyPair {
  const seed = hkdfSha256(master, undefined, labels.authSigningKey) as AuthSigningKey;
  return { publicKey: ed25519.getPublicKey(seed) as Ed25519PublicKey, privateKey: seed };
}

/** What a proof is for; a proof for one purpose is never accepted for another. */
export const loginProofPurposes = ['login', 'passphrase-change', 'account-change'] as const;
export type LoginProofPurpose = (typeof loginProofPurposes)[number];

export interface LoginProofContext {
  purpose: LoginProofPurpose;
  /** The server's single-use challenge, as it sent it. */
  challenge: string;
  memberId: string;
  /** The web origin the client believes it talks to, e.g. `https://clearing.example.org`. */
  origin: string;
}

const originPattern = /^https?:\/\/[A-Za-z0-9.:[\]-]{1,255}$/;

function proofMessage(context: LoginProofContext): Uint8Array {
  const r = new StrictReader('ENCODING_INVALID', 4096);
  if (!(loginProofPurposes as readonly string[]).includes(context.purpose)) r.fail('purpose', 'unknown');
  r.string(context.challenge, 'challenge', 128, /^[A-Za-z0-9_-]{16,128}$/);
  r.string(context.memberId, 'memberId', maxIdLength, idPattern);
  r.string(context.origin, 'origin', 270, originPattern);
  return labelledJson(labels.loginProof, { purpose: context.purpose, challenge: context.challenge, memberId: context.memberId, origin: context.origin });
}

export function signLoginProof(key: AuthSigningKey, context: LoginProofContext): string {
  return toBase64url(ed25519.sign(proofMessage(context), key));
}

/** Strict RFC 8032 verification; false for any malformed input rather than an exception. */
export function verifyLoginProof(publicKey: Ed25519PublicKey | Uint8Array, context: LoginProofContext, proof: string): boolean {
  let signature: Uint8Array;
  let message: Uint8Array;
  try {
    signature = fromBase64url(proof, signatureLength);
    message = proofMessage(context);
  } catch {
    return false;
  }
  if (publicKey.length !== keyLength) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

export function encodeAuthPublicKey(pair: AuthKeyPair): string {
  return toBase64url(pair.publicKey);
}

/** An authentication public key from a request or the database; KEY_INVALID unless it is a curve point. */
export function decodeAuthPublicKey(encoded: string): Ed25519PublicKey {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(encoded, keyLength);
  } catch (cause) {
    throw cryptoError('KEY_INVALID', { kind: 'AuthPublicKey' }, cause);
  }
  if (!ed25519.utils.isValidPublicKey(bytes, false)) throw cryptoError('KEY_INVALID', { kind: 'AuthPublicKey' });
  return bytes as Ed25519PublicKey;
}
