import { base64nopad } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import { concatBytes } from './bytes.js';
import { decryptBytes, encryptBytes } from './file.js';
import type { Stanza } from './header.js';
import {
  decodeAnyIdentity,
  decodeAnyRecipient,
  decodeHybridIdentity,
  decodeIdentity,
  decodeRecipient,
  encodeHybridIdentity,
  encodeHybridRecipient,
  generateAgeKeyPair,
  generateHybridIdentity,
  hybridRecipientOf,
} from './keys.js';
import { unwrapFileKeyHybrid, wrapFileKeyHybrid } from './mlkem768x25519.js';

const alice = generateHybridIdentity();
const aliceRecipient = hybridRecipientOf(alice);
const mallory = generateHybridIdentity();
const classic = generateAgeKeyPair();
const plaintext = new TextEncoder().encode('testimony, post-quantum');
const fileKey = new Uint8Array(16).fill(7);

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return error.code;
  }
}

function codeOfSync(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return error.code;
  }
}

/** A well-formed stanza for alice, to be damaged one way at a time. */
const good = wrapFileKeyHybrid(fileKey, aliceRecipient.publicKey);
const enc = base64nopad.decode(good.args[1]!);

describe('age hybrid keys (mlkem768x25519)', () => {
  it('derives the recipient of the spec example identity (c2sp.org/age)', () => {
    const identity = decodeHybridIdentity('AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR');
    const recipient = encodeHybridRecipient(hybridRecipientOf(identity));
    // The Bech32 checksum at the end covers the whole 1216-byte key.
    expect(recipient.startsWith('age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5')).toBe(true);
    expect(recipient.endsWith('d3fzv49zc0k')).toBe(true);
  });

  it('encodes and decodes identities and recipients, and tells the forms apart', () => {
    const text = encodeHybridIdentity(alice);
    expect(text).toMatch(/^AGE-SECRET-KEY-PQ-1[0-9A-Z]+$/);
    expect(decodeAnyIdentity(text)).toEqual(alice);
    expect(decodeAnyIdentity(text.toLowerCase())).toEqual(alice);
    const r = encodeHybridRecipient(aliceRecipient);
    expect(r).toMatch(/^age1pq1[0-9a-z]+$/);
    expect(decodeAnyRecipient(r)).toEqual(aliceRecipient);
    // The X25519 decoders refuse the hybrid forms rather than misreading them.
    expect(codeOfSync(() => decodeIdentity(text))).toBe('AGE_IDENTITY');
    expect(codeOfSync(() => decodeRecipient(r))).toBe('AGE_RECIPIENT');
    expect(codeOfSync(() => decodeAnyRecipient(r.toUpperCase()))).toBe('AGE_RECIPIENT');
  });
});

describe('age hybrid recipient stanza (mlkem768x25519)', () => {
  it('round-trips a file, binary and armored', async () => {
    for (const armor of [false, true]) {
      const file = await encryptBytes(plaintext, [aliceRecipient], { armor });
      expect(new TextDecoder().decode(file.subarray(0, 200))).toMatch(armor ? /BEGIN AGE ENCRYPTED FILE/ : /\n-> mlkem768x25519 /);
      expect(await decryptBytes(file, [alice])).toEqual(plaintext);
    }
  });

  it('reports a wrong hybrid identity, or an X25519 one, as no match', async () => {
    const file = await encryptBytes(plaintext, [aliceRecipient]);
    expect(await codeOf(decryptBytes(file, [mallory]))).toBe('AGE_NO_MATCH');
    expect(await codeOf(decryptBytes(file, [classic.privateKey]))).toBe('AGE_NO_MATCH');
    // And a hybrid identity on an X25519 file is no match either.
    const x25519File = await encryptBytes(plaintext, [classic.publicKey]);
    expect(await codeOf(decryptBytes(x25519File, [alice]))).toBe('AGE_NO_MATCH');
    // Several identities: the right one is found whatever the order.
    expect(await decryptBytes(file, [classic.privateKey, mallory, alice])).toEqual(plaintext);
  });

  it('unwraps the file key and ignores stanzas of other types', () => {
    expect(unwrapFileKeyHybrid(good, alice.seed)).toEqual(fileKey);
    expect(unwrapFileKeyHybrid(good, mallory.seed)).toBeNull();
    expect(unwrapFileKeyHybrid({ args: ['X25519', good.args[1]!], body: good.body }, alice.seed)).toBeNull();
    expect(unwrapFileKeyHybrid({ args: ['MLKEM768X25519', good.args[1]!], body: good.body }, alice.seed)).toBeNull();
  });

  const malformed: [string, Stanza][] = [
    ['no enc argument', { args: ['mlkem768x25519'], body: good.body }],
    ['an extra argument', { args: ['mlkem768x25519', good.args[1]!, 'x'], body: good.body }],
    ['an enc one byte short', { args: ['mlkem768x25519', base64nopad.encode(enc.subarray(0, 1119))], body: good.body }],
    ['an enc one byte long', { args: ['mlkem768x25519', base64nopad.encode(Uint8Array.from([...enc, 0]))], body: good.body }],
    ['an enc in padded base64', { args: ['mlkem768x25519', `${good.args[1]!}=`], body: good.body }],
    ['a body one byte short', { args: good.args, body: good.body.subarray(0, 31) }],
    ['a body one byte long', { args: good.args, body: Uint8Array.from([...good.body, 0]) }],
    [
      'a low-order (zero) X25519 part',
      { args: ['mlkem768x25519', base64nopad.encode(Uint8Array.from([...enc.subarray(0, 1088), ...new Uint8Array(32)]))], body: good.body },
    ],
  ];
  for (const [what, stanza] of malformed) {
    it(`treats a stanza with ${what} as a header failure, not a wrong key`, () => {
      expect(codeOfSync(() => unwrapFileKeyHybrid(stanza, alice.seed))).toBe('AGE_HEADER');
    });
  }

  it('reports a malformed hybrid stanza in a file as a header failure', async () => {
    const file = await encryptBytes(plaintext, [aliceRecipient]);
    // The header is ASCII; only its first stanza line is changed, the payload is kept byte for byte.
    const firstLineEnd = file.indexOf(0x0a, file.indexOf(0x0a) + 1);
    const line = new TextDecoder().decode(file.subarray(0, firstLineEnd));
    expect(line).toMatch(/\n-> mlkem768x25519 \S+$/);
    const bytes = concatBytes(new TextEncoder().encode(`${line} extra`), file.subarray(firstLineEnd));
    expect(await codeOf(decryptBytes(bytes, [alice]))).toBe('AGE_HEADER');
  });

  it('refuses to mix hybrid and X25519 recipients, and a recipient of the wrong size', async () => {
    expect(await codeOf(encryptBytes(plaintext, [aliceRecipient, classic.publicKey]))).toBe('AGE_RECIPIENT');
    const short = { type: 'mlkem768x25519' as const, publicKey: aliceRecipient.publicKey.subarray(1) };
    expect(await codeOf(encryptBytes(plaintext, [short]))).toBe('AGE_RECIPIENT');
  });
});
