import { describe, expect, it } from 'vitest';
import { toBase64url } from '../primitives/bytes.js';
import type { MasterKey } from '../primitives/keys.js';
import { errorCode } from '../primitives/testing.js';
import { deriveAuthKey, insecureKdfParamsForTests, insecureKdfPolicyForTests as weak } from './kdf.js';
import { decodeAuthPublicKey, deriveAuthKeyPair, signLoginProof, verifyLoginProof, type LoginProofContext } from './login-proof.js';
import { createMember, prepareLogin } from './member.js';

const master = new Uint8Array(32).fill(7) as MasterKey;
const context: LoginProofContext = {
  purpose: 'login',
  challenge: 'c'.repeat(43),
  memberId: '6f1c2b9e-3c1a-4d2e-9f00-123456789abc',
  origin: 'https://clearing.example.org',
};

describe('login proofs', () => {
  it('the authentication key pair is its own derivation of the master key, stable and distinct from the old login key', () => {
    const a = deriveAuthKeyPair(master);
    expect(deriveAuthKeyPair(master)).toEqual(a);
    expect(toBase64url(a.privateKey)).not.toBe(toBase64url(deriveAuthKey(master)));
    expect(toBase64url(a.privateKey)).not.toBe(toBase64url(master));
  });

  it('verify for exactly the challenge, member, origin and purpose they were made for', () => {
    const pair = deriveAuthKeyPair(master);
    const proof = signLoginProof(pair.privateKey, context);
    expect(verifyLoginProof(pair.publicKey, context, proof)).toBe(true);
    for (const changed of [
      { challenge: 'd'.repeat(43) },
      { memberId: '6f1c2b9e-3c1a-4d2e-9f00-123456789abd' },
      { origin: 'https://clearing.example.org.evil.example' },
      { origin: 'http://clearing.example.org' },
      { purpose: 'passphrase-change' as const },
    ]) {
      expect(verifyLoginProof(pair.publicKey, { ...context, ...changed }, proof), JSON.stringify(changed)).toBe(false);
    }
    expect(verifyLoginProof(deriveAuthKeyPair(new Uint8Array(32).fill(8) as MasterKey).publicKey, context, proof)).toBe(false);
  });

  it('every bit flip of a proof fails, and garbage is false rather than an exception', () => {
    const pair = deriveAuthKeyPair(master);
    const proof = signLoginProof(pair.privateKey, context);
    const bytes = Buffer.from(proof, 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = Buffer.from(bytes);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(verifyLoginProof(pair.publicKey, context, flipped.toString('base64url'))).toBe(false);
    }
    for (const junk of ['', 'x', 'A'.repeat(86), 'A'.repeat(10_000), '!!!']) expect(verifyLoginProof(pair.publicKey, context, junk)).toBe(false);
    expect(verifyLoginProof(new Uint8Array(5), context, proof)).toBe(false);
    expect(verifyLoginProof(pair.publicKey, { ...context, origin: 'javascript:alert(1)' }, proof)).toBe(false);
    expect(verifyLoginProof(pair.publicKey, { ...context, purpose: 'other' as never }, proof)).toBe(false);
  });

  it('refuses to sign for a malformed context', () => {
    const pair = deriveAuthKeyPair(master);
    expect(errorCode(() => signLoginProof(pair.privateKey, { ...context, challenge: 'short' }))).toBe('ENCODING_INVALID');
    expect(errorCode(() => signLoginProof(pair.privateKey, { ...context, origin: 'not a url' }))).toBe('ENCODING_INVALID');
  });

  it('public keys off the curve are KEY_INVALID', () => {
    expect(errorCode(() => decodeAuthPublicKey(toBase64url(new Uint8Array(32).fill(0xff))))).toBe('KEY_INVALID');
    expect(errorCode(() => decodeAuthPublicKey('short'))).toBe('KEY_INVALID');
  });

  it('prepareLogin proves with the same key createMember registered', async () => {
    const member = await createMember('correct horse battery staple', insecureKdfParamsForTests(), weak);
    const login = await prepareLogin('correct horse battery staple', member.bundle.kdf, weak);
    expect(login.authPublicKey).toBe(toBase64url(member.auth.publicKey));
    expect(verifyLoginProof(member.auth.publicKey, context, login.prove(context))).toBe(true);
    const wrong = await prepareLogin('correct horse battery stapler', member.bundle.kdf, weak);
    expect(verifyLoginProof(member.auth.publicKey, context, wrong.prove(context))).toBe(false);
    login.wipe();
    wrong.wipe();
  });
});
