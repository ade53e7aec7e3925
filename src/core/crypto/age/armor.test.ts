import { describe, expect, it } from 'vitest';
import { isClearingError } from '../../errors/index.js';
import { decryptBytes, encryptBytes } from './file.js';
import { generateAgeKeyPair } from './keys.js';

const alice = generateAgeKeyPair();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An armored file whose last base64 line is a full 64 columns, so nothing but the END line may follow it. */
async function armoredWithFullLastLine(): Promise<{ text: string; plaintext: Uint8Array }> {
  for (let n = 0; n < 48; n++) {
    const plaintext = encoder.encode('x'.repeat(n));
    const binary = await encryptBytes(plaintext, [alice.publicKey]);
    if (binary.length % 48 !== 0) continue;
    return { text: decoder.decode(await encryptBytes(plaintext, [alice.publicKey], { armor: true })), plaintext };
  }
  throw new Error('no plaintext length gave a full last line');
}

async function armorOutcome(text: string): Promise<string | null> {
  try {
    await decryptBytes(encoder.encode(text), [alice.privateKey]);
    return null;
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return error.code;
  }
}

describe('age armor reader', () => {
  it('reads a file whose last line is full, with the END line right after it', async () => {
    const { text, plaintext } = await armoredWithFullLastLine();
    const lines = text.split('\n');
    expect(lines.at(-3)).toHaveLength(64);
    expect(await decryptBytes(encoder.encode(text), [alice.privateKey])).toEqual(plaintext);
  });

  it('refuses an empty line just before the END line (C2SP age), with LF and with CRLF', async () => {
    const { text } = await armoredWithFullLastLine();
    const withEmpty = text.replace('\n-----END AGE ENCRYPTED FILE-----', '\n\n-----END AGE ENCRYPTED FILE-----');
    expect(withEmpty).not.toBe(text);
    expect(await armorOutcome(withEmpty)).toBe('AGE_ARMOR');
    expect(await armorOutcome(withEmpty.replaceAll('\n', '\r\n'))).toBe('AGE_ARMOR');
  });

  it('refuses an empty line between full lines', async () => {
    const { text } = await armoredWithFullLastLine();
    const lines = text.split('\n');
    lines.splice(2, 0, '');
    expect(await armorOutcome(lines.join('\n'))).toBe('AGE_ARMOR');
  });
});
