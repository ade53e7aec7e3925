import { ed25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signBytes, verifyBytes } from '../core/crypto/trust/signatures.js';
import { nativeVerify } from './signatures.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

describe('the native Ed25519 verifier', () => {
  const { secretKey, publicKey } = ed25519.keygen();
  const message = new TextEncoder().encode('clearing/record-signature/v1\n{"v":1}');
  const signature = signBytes(secretKey, message);

  it('agrees with core on good signatures and on every single-bit change', () => {
    expect(nativeVerify(publicKey, message, signature)).toBe(true);
    fc.assert(
      fc.property(fc.nat(64 * 8 - 1), fc.nat(message.length * 8 - 1), (sigBit, msgBit) => {
        const s = signature.slice();
        s[sigBit >> 3]! ^= 1 << (sigBit & 7);
        const m = message.slice();
        m[msgBit >> 3]! ^= 1 << (msgBit & 7);
        expect(nativeVerify(publicKey, message, s)).toBe(verifyBytes(publicKey, message, s));
        expect(nativeVerify(publicKey, m, signature)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a malleated signature (S + L), wrong lengths and another key', () => {
    const s = BigInt(`0x${Buffer.from(signature.slice(32)).reverse().toString('hex')}`) + L;
    const malleated = signature.slice();
    malleated.set(Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse(), 32);
    expect(nativeVerify(publicKey, message, malleated)).toBe(false);
    expect(verifyBytes(publicKey, message, malleated)).toBe(false);
    expect(nativeVerify(publicKey.slice(1), message, signature)).toBe(false);
    expect(nativeVerify(publicKey, message, signature.slice(1))).toBe(false);
    expect(nativeVerify(ed25519.keygen().publicKey, message, signature)).toBe(false);
  });
});
