/**
 * Known answers from the specifications, run through the exact library calls
 * the core makes, so a library upgrade that changes an answer fails here.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { base64nopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { argon2idHash } from '../member-keys/kdf.js';
import { signBytes, verifyBytes } from '../trust/signatures.js';
import { aeadDecrypt } from './aead.js';
import { utf8Encode } from './bytes.js';
import { hkdfSha256 } from './hkdf.js';

const range = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const fill = (byte: number, length: number): Uint8Array => new Uint8Array(length).fill(byte);

describe('Argon2id', () => {
  it('RFC 9106 §5.3 (argon2id, with secret and associated data)', () => {
    // hash-wasm takes no associated data, so the RFC vector itself runs through
    // @noble/hashes, and the next tests tie hash-wasm to it and to the reference.
    const tag = nobleArgon2id(fill(1, 32), fill(2, 16), { t: 3, m: 32, p: 4, key: fill(3, 8), personalization: fill(4, 12), dkLen: 32 });
    expect(bytesToHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  it('hash-wasm, as deriveMasterKey calls it, gives the reference implementation answer (phc-winner-argon2 test.c, m=256 t=2 p=1)', async () => {
    const hash = await argon2idHash(utf8Encode('password'), utf8Encode('somesalt'), { memoryKiB: 256, iterations: 2, parallelism: 1 });
    // $argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4
    expect(base64nopad.encode(hash)).toBe('nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4');
  });

  it('hash-wasm at 64 MiB gives the reference answer (phc-winner-argon2 test.c, m=65536 t=2 p=1)', async () => {
    const hash = await argon2idHash(utf8Encode('password'), utf8Encode('somesalt'), { memoryKiB: 65536, iterations: 2, parallelism: 1 });
    expect(bytesToHex(hash)).toBe('09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7');
  });

  it('hash-wasm with a secret agrees with @noble/hashes (the implementation checked against RFC 9106)', async () => {
    const cost = { memoryKiB: 32, iterations: 3, parallelism: 4 };
    const ours = await argon2idHash(fill(1, 32), fill(2, 16), cost, fill(3, 8));
    const noble = nobleArgon2id(fill(1, 32), fill(2, 16), { t: 3, m: 32, p: 4, key: fill(3, 8), dkLen: 32 });
    expect(bytesToHex(ours)).toBe(bytesToHex(noble));
  });
});

describe('X25519 (RFC 7748)', () => {
  it('§5.2 single scalar multiplications', () => {
    const vectors = [
      [
        'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
        'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
        'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
      ],
      [
        '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
        'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
        '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
      ],
    ] as const;
    for (const [k, u, out] of vectors) expect(bytesToHex(x25519.getSharedSecret(hexToBytes(k), hexToBytes(u)))).toBe(out);
  });

  it('§5.2 iterated: 1 and 1000 iterations from k = u = 9', () => {
    let k = new Uint8Array(32);
    k[0] = 9;
    let u = k.slice();
    for (let i = 1; i <= 1000; i++) {
      const next = x25519.getSharedSecret(k, u);
      u = k;
      k = next;
      if (i === 1) expect(bytesToHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(bytesToHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('§6.1 Diffie-Hellman', () => {
    const a = hexToBytes('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const b = hexToBytes('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    expect(bytesToHex(x25519.getPublicKey(a))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(bytesToHex(x25519.getPublicKey(b))).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(bytesToHex(x25519.getSharedSecret(a, x25519.getPublicKey(b)))).toBe(shared);
    expect(bytesToHex(x25519.getSharedSecret(b, x25519.getPublicKey(a)))).toBe(shared);
  });

  it('refuses a low-order point (the all-zero shared secret)', () => {
    expect(() => x25519.getSharedSecret(x25519.utils.randomSecretKey(), new Uint8Array(32))).toThrow();
  });
});

describe('Ed25519 (RFC 8032 §7.1)', () => {
  const vectors = [
    {
      name: 'TEST 1',
      sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      msg: '',
      sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      name: 'TEST 2',
      sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      msg: '72',
      sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
    {
      name: 'TEST 3',
      sk: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
      pk: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
      msg: 'af82',
      sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
    },
  ];
  for (const v of vectors) {
    it(v.name, () => {
      const sk = hexToBytes(v.sk);
      const msg = hexToBytes(v.msg);
      expect(bytesToHex(signBytes(sk, msg))).toBe(v.sig);
      expect(verifyBytes(hexToBytes(v.pk), msg, hexToBytes(v.sig))).toBe(true);
      const other = msg.length ? msg.slice(0, -1) : new Uint8Array([0]);
      expect(verifyBytes(hexToBytes(v.pk), other, hexToBytes(v.sig))).toBe(false);
    });
  }
});

describe('ChaCha20-Poly1305', () => {
  const key = range(0x80, 0x9f);
  const aad = hexToBytes('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8Encode("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");

  it('RFC 8439 §2.8.2 (the sealed box cipher)', () => {
    const nonce = hexToBytes('070000004041424344454647');
    const expected =
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36' +
      '92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
      '1ae10b594f09e26a7e902ecbd0600691';
    expect(bytesToHex(chacha20poly1305(key, nonce, aad).encrypt(plaintext))).toBe(expected);
    expect(chacha20poly1305(key, nonce, aad).decrypt(hexToBytes(expected))).toEqual(plaintext);
  });

  it('XChaCha20-Poly1305, draft-irtf-cfrg-xchacha §A.3.1 (the record and bundle cipher), through aeadDecrypt', () => {
    const nonce = range(0x40, 0x57);
    const sealed = hexToBytes(
      'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452' +
        '2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
        'c0875924c1c7987947deafd8780acf49',
    );
    expect(aeadDecrypt(key, nonce, sealed, aad)).toEqual(plaintext);
    expect(aeadDecrypt(key, nonce, sealed, aad.slice(1))).toBeUndefined();
  });
});

describe('HKDF-SHA-256 (RFC 5869), through hkdfSha256', () => {
  it('A.1 basic', () => {
    const okm = hkdfSha256(fill(0x0b, 22), range(0x00, 0x0c), range(0xf0, 0xf9), 42);
    expect(bytesToHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });
  it('A.2 longer inputs and output', () => {
    const okm = hkdfSha256(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
    expect(bytesToHex(okm)).toBe(
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
    );
  });
  it('A.3 empty salt and info', () => {
    const expected = '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8';
    expect(bytesToHex(hkdfSha256(fill(0x0b, 22), new Uint8Array(0), new Uint8Array(0), 42))).toBe(expected);
    // The core passes no salt for subkeys; RFC 5869 §2.2 makes that the same as an empty one.
    expect(bytesToHex(hkdfSha256(fill(0x0b, 22), undefined, '', 42))).toBe(expected);
  });
});
