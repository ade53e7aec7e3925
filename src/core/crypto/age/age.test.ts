import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import { nobleChunkAead, type ChunkAead, type OpenedChunk } from './aead.js';
import { collectBytes, concatBytes } from './bytes.js';
import { decryptBytes, decryptFile, encryptBytes, encryptFile } from './file.js';
import { maxHeaderBytes, maxStanzas } from './header.js';
import { decodeIdentity, decodeRecipient, encodeIdentity, encodeRecipient, generateAgeKeyPair, recipientOf } from './keys.js';
import { chunkSize } from './stream.js';

const alice = generateAgeKeyPair();
const bob = generateAgeKeyPair();
const encoder = new TextEncoder();

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The code of the ClearingError a promise rejects with, and everything released before it. */
async function outcome(source: AsyncIterable<Uint8Array>): Promise<{ code: string | null; released: Uint8Array }> {
  const parts: Uint8Array[] = [];
  try {
    for await (const p of source) parts.push(p);
    return { code: null, released: concatBytes(...parts) };
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return { code: error.code, released: concatBytes(...parts) };
  }
}

/** A batched, asynchronous AEAD like the worker pool, built on the pure one: exercises the pipeline. */
const batchedAead: ChunkAead = {
  batchSize: 3,
  parallelism: 2,
  seal: async (key, nonces, plaintexts) => nobleChunkAead.seal(key, nonces, plaintexts),
  open: async (key, nonces, sealed, alternates) => nobleChunkAead.open(key, nonces, sealed, alternates),
};

/**
 * An in-place AEAD like the native one, on the pure cipher: it refuses a batch
 * not laid out a sealed chunk apart with room for each tag, and writes its
 * output over its input, so the stream's in-place reading is exercised.
 */
const inPlaceAead: ChunkAead = {
  batchSize: 3,
  parallelism: 2,
  inPlace: true,
  async seal(key, nonces, plaintexts) {
    return plaintexts.map((p, i) => {
      const first = plaintexts[0]!;
      if (p.buffer !== first.buffer || p.byteOffset !== first.byteOffset + i * (chunkSize + 16)) throw new Error('not laid out');
      if (p.byteOffset + p.length + 16 > p.buffer.byteLength) throw new Error('no room for the tag');
      const sealed = nobleChunkAead.seal(key, [nonces[i]!], [p.slice()]) as Uint8Array[];
      const place = new Uint8Array(p.buffer, p.byteOffset, p.length + 16);
      place.set(sealed[0]!);
      return place;
    });
  },
  async open(key, nonces, sealed, alternates) {
    const opened = (await nobleChunkAead.open(
      key,
      nonces,
      sealed.map((c) => c.slice()),
      alternates,
    )) as (OpenedChunk | null)[];
    return opened.map((o, i) => {
      if (!o) return null;
      const place = sealed[i]!.subarray(0, o.plaintext.length);
      place.set(o.plaintext);
      return { plaintext: place, alternate: o.alternate };
    });
  },
};

function headerLength(file: Uint8Array): number {
  const marker = encoder.encode('\n--- ');
  for (let i = 0; i < file.length; i++) {
    if (marker.every((b, k) => file[i + k] === b)) return file.indexOf(0x0a, i + 1) + 1;
  }
  throw new Error('no MAC line');
}

describe('age keys', () => {
  it('encodes identities and recipients in the forms the age tool reads and writes', () => {
    const id = encodeIdentity(alice.privateKey);
    expect(id).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(decodeIdentity(id)).toEqual(alice.privateKey);
    expect(decodeIdentity(id.toLowerCase())).toEqual(alice.privateKey);
    const r = encodeRecipient(alice.publicKey);
    expect(r).toMatch(/^age1[0-9a-z]{58}$/);
    expect(decodeRecipient(r)).toEqual(alice.publicKey);
    expect(recipientOf(alice.privateKey)).toEqual(alice.publicKey);
  });

  it('matches the example key pair in the age specification', () => {
    const id = 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX';
    expect(encodeRecipient(recipientOf(decodeIdentity(id)))).toBe('age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj');
  });

  it('rejects mistyped, mixed-case, wrong-kind and wrong-length keys with typed errors', () => {
    const id = encodeIdentity(alice.privateKey);
    const r = encodeRecipient(alice.publicKey);
    const flipped = id.slice(0, -1) + (id.endsWith('Q') ? 'P' : 'Q');
    for (const bad of [flipped, id.slice(0, 20) + id.slice(20).toLowerCase(), r, '', 'AGE-SECRET-KEY-PQ-1ABC']) {
      expect(() => decodeIdentity(bad)).toThrowError(expect.objectContaining({ code: 'AGE_IDENTITY' }) as unknown as Error);
    }
    for (const bad of [r.toUpperCase(), id, r.slice(0, -2), 'age1']) {
      expect(() => decodeRecipient(bad)).toThrowError(expect.objectContaining({ code: 'AGE_RECIPIENT' }) as unknown as Error);
    }
    expect(() => encodeIdentity(new Uint8Array(31))).toThrowError(expect.objectContaining({ code: 'AGE_IDENTITY' }) as unknown as Error);
  });
});

describe('age round trip', () => {
  it('restores every size around chunk boundaries, binary and armored, with every kind of cipher back-end (one by one, batched, in place)', async () => {
    const sizes = fc.oneof(
      fc.constantFrom(0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 2 * chunkSize, 3 * chunkSize + 17),
      fc.integer({ min: 0, max: 3 * chunkSize }),
    );
    await fc.assert(
      fc.asyncProperty(
        sizes,
        fc.boolean(),
        fc.constantFrom(nobleChunkAead, batchedAead, inPlaceAead),
        fc.integer({ min: 1, max: 70_000 }),
        async (size, armor, aead, piece) => {
          const plaintext = bytes(size, size + 7);
          const pieces = (data: Uint8Array): Uint8Array[] => {
            const out: Uint8Array[] = [];
            for (let at = 0; at < data.length; at += piece) out.push(data.subarray(at, at + piece));
            return out;
          };
          const file = await collectBytes(encryptFile(pieces(plaintext), [alice.publicKey], { armor, aead }));
          const back = await collectBytes(decryptFile(pieces(file), [alice.privateKey], { aead }));
          expect(back).toEqual(plaintext);
        },
      ),
      { numRuns: 36 },
    );
  });

  it('lets every recipient of a multi-recipient file open it, and nobody else', async () => {
    const carol = generateAgeKeyPair();
    const file = await encryptBytes(encoder.encode('testimony'), [alice.publicKey, bob.publicKey]);
    expect(new TextDecoder().decode(await decryptBytes(file, [bob.privateKey]))).toBe('testimony');
    expect(new TextDecoder().decode(await decryptBytes(file, [carol.privateKey, alice.privateKey]))).toBe('testimony');
    expect((await outcome(decryptFile(file, [carol.privateKey]))).code).toBe('AGE_NO_MATCH');
  });

  it('accepts a WHATWG ReadableStream as input', async () => {
    const plaintext = bytes(chunkSize + 5);
    const file = await encryptBytes(plaintext, [alice.publicKey]);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(file.subarray(0, 100));
        controller.enqueue(file.subarray(100));
        controller.close();
      },
    });
    expect(await collectBytes(decryptFile(stream, [alice.privateKey]))).toEqual(plaintext);
  });

  it('reads a ReadIntoSource (a file handle) directly, whatever sizes its reads return', async () => {
    const plaintext = bytes(5 * chunkSize + 9, 21);
    const source = (data: Uint8Array, failAfter = Infinity) => {
      let at = 0;
      let calls = 0;
      return {
        async readInto(target: Uint8Array, offset: number, length: number): Promise<number> {
          if (at >= failAfter) throw new Error('device error');
          // Short reads, as pipes and network file systems return them.
          const n = Math.min(length, data.length - at, 1 + ((calls++ * 7919) % 100_000), failAfter - at);
          target.set(data.subarray(at, at + n), offset);
          at += n;
          return n;
        },
      };
    };
    const file = await collectBytes(encryptFile(source(plaintext), [alice.publicKey], { aead: batchedAead }));
    expect(await collectBytes(decryptFile(source(file), [alice.privateKey], { aead: batchedAead }))).toEqual(plaintext);
    // A device error part-way: the chunks before it are released, then the error itself surfaces.
    const cut = headerLength(file) + 16 + 3 * (chunkSize + 16) + 5;
    const parts: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const p of decryptFile(source(file, cut), [alice.privateKey], { aead: batchedAead })) parts.push(p);
      })(),
    ).rejects.toThrow('device error');
    expect(concatBytes(...parts)).toEqual(plaintext.subarray(0, 3 * chunkSize));
    // Encryption of a failing input fails instead of producing a file that looks complete.
    await expect(collectBytes(encryptFile(source(plaintext, 2 * chunkSize + 3), [alice.publicKey]))).rejects.toThrow('device error');
  });

  it('uses a fresh file key and nonce for every file', async () => {
    const a = await encryptBytes(encoder.encode('same'), [alice.publicKey]);
    const b = await encryptBytes(encoder.encode('same'), [alice.publicKey]);
    expect(a).not.toEqual(b);
  });
});

describe('age tamper detection', () => {
  it('reports every single-bit flip in the header or payload with the error of the part it hit', async () => {
    // Two chunks and a bit, so flips land in a middle chunk, the final chunk and the header.
    const plaintext = bytes(2 * chunkSize + 100, 3);
    const file = await encryptBytes(plaintext, [alice.publicKey]);
    const header = headerLength(file);
    const macLineStart = file.lastIndexOf(0x0a, header - 2) + 1;
    await fc.assert(
      // Half the flips aim at the header, which is small but has the most distinct outcomes.
      fc.asyncProperty(fc.oneof(fc.integer({ min: 0, max: header * 8 - 1 }), fc.integer({ min: 0, max: file.length * 8 - 1 })), async (bit) => {
        const at = bit >> 3;
        const tampered = file.slice();
        tampered[at]! ^= 1 << (bit & 7);
        const { code, released } = await outcome(decryptFile(tampered, [alice.privateKey]));
        expect(code).not.toBeNull();
        if (at >= header + 16) {
          expect(code).toBe('AGE_PAYLOAD');
          const chunk = Math.floor((at - header - 16) / (chunkSize + 16));
          // Exactly the chunks before the damaged one are released, unaltered.
          expect(released).toEqual(plaintext.subarray(0, chunk * chunkSize));
        } else if (at >= header) {
          expect(code).toBe('AGE_PAYLOAD'); // the nonce: every chunk key changes
          expect(released.length).toBe(0);
        } else {
          // A header flip breaks its syntax, its stanza (no match), or its MAC — never the payload.
          expect(['AGE_HEADER', 'AGE_NO_MATCH', 'AGE_HMAC']).toContain(code);
          if (at >= macLineStart + 4) expect(['AGE_HEADER', 'AGE_HMAC']).toContain(code);
          expect(released.length).toBe(0);
        }
      }),
      { numRuns: 120 },
    );
  });

  it('tells a header MAC mismatch apart from a damaged stanza', async () => {
    const file = await encryptBytes(encoder.encode('x'), [alice.publicKey]);
    const text = new TextDecoder('latin1').decode(file.subarray(0, headerLength(file)));
    // Change the last MAC character to another valid base64 character with the same unused bits.
    const mac = text.lastIndexOf('\n') - 1;
    const tampered = file.slice();
    tampered[mac] = file[mac] === 0x41 ? 0x51 : 0x41;
    // 'A' and 'Q' differ only in the two bits the last character carries: still canonical base64.
    expect((await outcome(decryptFile(tampered, [alice.privateKey]))).code).toBe('AGE_HMAC');
    // A well-formed but wrong MAC (different file, same header shape) is AGE_HMAC.
    const other = await encryptBytes(encoder.encode('x'), [alice.publicKey]);
    const spliced = concatBytes(
      file.subarray(0, file.lastIndexOf(0x20, headerLength(file))),
      other.subarray(other.lastIndexOf(0x20, headerLength(other)), headerLength(other)),
      file.subarray(headerLength(file)),
    );
    expect((await outcome(decryptFile(spliced, [alice.privateKey]))).code).toBe('AGE_HMAC');
  });
});

describe('age bad input', () => {
  it('reports truncation at every kind of boundary as the right typed error', async () => {
    const plaintext = bytes(2 * chunkSize, 5);
    const file = await encryptBytes(plaintext, [alice.publicKey]);
    const header = headerLength(file);
    const cases: [number, string][] = [
      [0, 'AGE_HEADER'],
      [10, 'AGE_HEADER'],
      [header - 1, 'AGE_HEADER'],
      [header, 'AGE_HEADER'],
      [header + 8, 'AGE_HEADER'],
      [header + 16, 'AGE_PAYLOAD'],
      [header + 16 + 1000, 'AGE_PAYLOAD'],
      [header + 16 + chunkSize + 16, 'AGE_PAYLOAD'],
      [file.length - 1, 'AGE_PAYLOAD'],
    ];
    for (const [length, code] of cases) {
      const result = await outcome(decryptFile(file.subarray(0, length), [alice.privateKey]));
      expect(result.code, `truncated to ${length}`).toBe(code);
    }
    // Cut after the first full chunk: that chunk is genuine and released, then the loss is reported.
    const cut = await outcome(decryptFile(file.subarray(0, header + 16 + chunkSize + 16), [alice.privateKey]));
    expect(cut.released).toEqual(plaintext.subarray(0, chunkSize));
  });

  it('rejects garbage, other formats and empty input as header failures without crashing', async () => {
    const garbage = [
      new Uint8Array(0),
      bytes(5000, 9),
      encoder.encode('age-encryption.org/v2\n-> X25519 abc\n\n--- abc\n'),
      encoder.encode('-----BEGIN PGP MESSAGE-----\n\n-----END PGP MESSAGE-----\n'),
      encoder.encode(`age-encryption.org/v1\n--- ${'A'.repeat(43)}\n`),
    ];
    const codes = await Promise.all(garbage.map(async (g) => (await outcome(decryptFile(g, [alice.privateKey]))).code));
    expect(codes).toEqual(['AGE_HEADER', 'AGE_HEADER', 'AGE_HEADER', 'AGE_ARMOR', 'AGE_HEADER']);
  });

  it('refuses a header larger than the cap without reading on, and too many stanzas', async () => {
    const stanza = `-> grease ${'x'.repeat(60)}\n\n`;
    const huge = encoder.encode(`age-encryption.org/v1\n${stanza.repeat(Math.ceil(maxHeaderBytes / stanza.length) + 1)}`);
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      yield huge;
      for (;;) {
        pulled++;
        yield encoder.encode(stanza);
      }
    }
    expect((await outcome(decryptFile(endless(), [alice.privateKey]))).code).toBe('AGE_HEADER');
    expect(pulled).toBe(0);
    const many = encoder.encode(`age-encryption.org/v1\n${'-> a\n\n'.repeat(maxStanzas + 1)}--- ${'A'.repeat(43)}\n`);
    expect(many.length).toBeLessThan(maxHeaderBytes);
    expect((await outcome(decryptFile(many, [alice.privateKey]))).code).toBe('AGE_HEADER');
  });

  it('reports a wrong identity as no match, not as damage', async () => {
    const file = await encryptBytes(bytes(100), [alice.publicKey]);
    expect((await outcome(decryptFile(file, [bob.privateKey]))).code).toBe('AGE_NO_MATCH');
    expect((await outcome(decryptFile(file, []))).code).toBe('AGE_NO_MATCH');
  });

  it('refuses to encrypt to nobody or to an unusable key', () => {
    expect(() => encryptFile(bytes(1), [])).toThrowError(expect.objectContaining({ code: 'AGE_RECIPIENT' }) as unknown as Error);
    expect(() => encryptFile(bytes(1), [new Uint8Array(32)])).toThrowError(expect.objectContaining({ code: 'AGE_RECIPIENT' }) as unknown as Error);
  });

  it('passes a failing source through after releasing what came before it', async () => {
    const plaintext = bytes(3 * chunkSize, 11);
    const file = await encryptBytes(plaintext, [alice.publicKey]);
    const cutAt = headerLength(file) + 16 + 2 * (chunkSize + 16) + 10;
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield file.subarray(0, cutAt);
      throw new Error('disk went away');
    }
    const parts: Uint8Array[] = [];
    await expect(
      (async () => {
        for await (const p of decryptFile(failing(), [alice.privateKey])) parts.push(p);
      })(),
    ).rejects.toThrow('disk went away');
    expect(concatBytes(...parts)).toEqual(plaintext.subarray(0, 2 * chunkSize));
  });
});
