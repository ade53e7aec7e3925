import fc from 'fast-check';
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { cryptoMessages } from '../messages.js';
import { constantTimeEqual, fromBase64url, randomBytes, toBase64url, utf8Decode } from './bytes.js';
import { isCryptoError } from './errors.js';
import { labels } from './labels.js';
import type { X25519PrivateKey, X25519PublicKey } from './keys.js';
import { x25519Open, x25519Seal } from './seal.js';
import { errorCode, flipBit } from './testing.js';

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(fromBase64url(toBase64url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('accepts exactly one text form per byte string', () => {
    for (const text of ['_x', 'AQ==', 'AQ=', '+w', '/w', 'A Q', 'a', ' AQ']) expect(errorCode(() => fromBase64url(text))).toBe('ENCODING_INVALID');
  });

  it('checks the length when asked', () => {
    expect(errorCode(() => fromBase64url(toBase64url(new Uint8Array(31)), 32))).toBe('ENCODING_INVALID');
  });
});

describe('utf8Decode', () => {
  it('refuses invalid UTF-8 instead of replacing it', () => {
    expect(errorCode(() => utf8Decode(new Uint8Array([0xff, 0xfe])))).toBe('ENCODING_INVALID');
  });
});

describe('constantTimeEqual', () => {
  it('agrees with byte-wise equality', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(a.length === b.length && a.every((x, i) => x === b[i]));
      }),
    );
  });
});

describe('randomBytes', () => {
  it('does not repeat', () => {
    expect(toBase64url(randomBytes(32))).not.toBe(toBase64url(randomBytes(32)));
  });
});

describe('x25519Seal', () => {
  const { secretKey, publicKey } = x25519.keygen();
  const priv = secretKey as X25519PrivateKey;
  const pub = publicKey as X25519PublicKey;

  it('round-trips any plaintext under any context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.string(), (plaintext, context) => {
        expect(x25519Open(priv, x25519Seal(pub, plaintext, context), context)).toEqual(plaintext);
      }),
      { numRuns: 30 },
    );
  });

  it('detects every single-bit flip', () => {
    const sealed = x25519Seal(pub, randomBytes(32), 'ctx');
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      // The first byte is the format version: a changed one is not our format at all.
      expect(errorCode(() => x25519Open(priv, flipBit(sealed, bit), 'ctx', pub))).toBe(bit < 8 ? 'SEALED_KEY_MALFORMED' : 'SEALED_KEY_TAMPERED');
    }
  });

  it('does not open under another context or for another key', () => {
    const sealed = x25519Seal(pub, randomBytes(32), 'compartment A');
    expect(errorCode(() => x25519Open(priv, sealed, 'compartment B'))).toBe('SEALED_KEY_TAMPERED');
    expect(errorCode(() => x25519Open(x25519.utils.randomSecretKey() as X25519PrivateKey, sealed, 'compartment A'))).toBe('SEALED_KEY_TAMPERED');
  });

  it('refuses truncated boxes and low-order recipients', () => {
    const sealed = x25519Seal(pub, randomBytes(32), 'ctx');
    for (const length of [0, 1, 32, 48, 49 - 1]) expect(errorCode(() => x25519Open(priv, sealed.slice(0, length), 'ctx'))).toBe('SEALED_KEY_MALFORMED');
    expect(errorCode(() => x25519Open(priv, sealed.slice(0, sealed.length - 1), 'ctx'))).toBe('SEALED_KEY_TAMPERED');
    expect(errorCode(() => x25519Seal(new Uint8Array(32) as X25519PublicKey, randomBytes(32), 'ctx'))).toBe('KEY_INVALID');
  });
});

describe('labels', () => {
  it('are distinct, newline-free and prefix-free', () => {
    const all = Object.values(labels).map((l) => `${l}\n`);
    expect(new Set(all).size).toBe(all.length);
    for (const a of all) {
      expect(a.indexOf('\n')).toBe(a.length - 1);
      for (const b of all) if (a !== b) expect(b.startsWith(a)).toBe(false);
    }
  });
});

describe('messages', () => {
  it('every code has words in English and Russian', () => {
    for (const code of Object.keys(cryptoMessages.en)) {
      expect(cryptoMessages.ru[code as keyof typeof cryptoMessages.ru]).toMatch(/[а-я]/);
      expect(cryptoMessages.en[code as keyof typeof cryptoMessages.en].length).toBeGreaterThan(10);
    }
    expect(Object.keys(cryptoMessages.ru).sort()).toEqual(Object.keys(cryptoMessages.en).sort());
  });

  it('errors carry their code and the English message', () => {
    try {
      fromBase64url('!');
    } catch (error) {
      expect(isCryptoError(error, 'ENCODING_INVALID')).toBe(true);
      expect((error as Error).message).toBe(cryptoMessages.en.ENCODING_INVALID);
    }
  });
});
