import type { Brand } from '../../domain/ids.js';
import { cryptoError } from './errors.js';

/*
 * Distinct types for distinct keys, so that a record key cannot be passed where
 * a search key is expected, nor a member's key where a compartment's is. All are
 * 32-byte Uint8Arrays at run time; the `as…` functions check the length.
 */
export type X25519PublicKey = Brand<Uint8Array, 'X25519PublicKey'>;
export type X25519PrivateKey = Brand<Uint8Array, 'X25519PrivateKey'>;
export type Ed25519PublicKey = Brand<Uint8Array, 'Ed25519PublicKey'>;
/** The 32-byte RFC 8032 seed, not the 64-byte expanded form. */
export type Ed25519PrivateKey = Brand<Uint8Array, 'Ed25519PrivateKey'>;
/** Argon2id output; never leaves the member's device. */
export type MasterKey = Brand<Uint8Array, 'MasterKey'>;
/** Proves knowledge of the passphrase at login; the server keeps only a slow hash of it. */
export type AuthKey = Brand<Uint8Array, 'AuthKey'>;
/** Wraps the member's private keys in the key bundle. */
export type BundleKey = Brand<Uint8Array, 'BundleKey'>;
export type RecordKey = Brand<Uint8Array, 'RecordKey'>;
export type SearchKey = Brand<Uint8Array, 'SearchKey'>;

export const keyLength = 32;
export const signatureLength = 64;

function branded<T extends Uint8Array>(kind: string) {
  return (bytes: Uint8Array): T => {
    if (!(bytes instanceof Uint8Array) || bytes.length !== keyLength) throw cryptoError('KEY_INVALID', { kind });
    return bytes as T;
  };
}

export const asX25519PublicKey = branded<X25519PublicKey>('X25519PublicKey');
export const asX25519PrivateKey = branded<X25519PrivateKey>('X25519PrivateKey');
export const asEd25519PublicKey = branded<Ed25519PublicKey>('Ed25519PublicKey');
export const asEd25519PrivateKey = branded<Ed25519PrivateKey>('Ed25519PrivateKey');
export const asMasterKey = branded<MasterKey>('MasterKey');
export const asAuthKey = branded<AuthKey>('AuthKey');
export const asRecordKey = branded<RecordKey>('RecordKey');
export const asSearchKey = branded<SearchKey>('SearchKey');
