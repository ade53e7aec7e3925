/**
 * The textual age v1 header: version line, recipient stanzas, MAC line
 * (C2SP age, "Header"). Parsing is strict — any deviation from the ABNF is a
 * header failure — and bounded, so a hostile file cannot make us buffer an
 * unbounded header or try an unbounded number of stanzas.
 */
import { base64nopad } from '@scure/base';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type ByteReader, concatBytes } from './bytes.js';
import { ageError } from './errors.js';

/** Largest header we read: far above any real one (an X25519 stanza is ~110 bytes). */
export const maxHeaderBytes = 64 * 1024;
/** Most stanzas we accept, bounding the work of trying every identity on every stanza. */
export const maxStanzas = 256;

export interface Stanza {
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

export interface ParsedHeader {
  readonly stanzas: readonly Stanza[];
  /** The header bytes covered by the MAC: everything up to and including `---`. */
  readonly macInput: Uint8Array;
  readonly mac: Uint8Array;
  /** Bytes the header occupies in the file, MAC line included (the payload nonce follows). */
  readonly length: number;
}

const encoder = new TextEncoder();
const versionLine = 'age-encryption.org/v1\n';
const versionPrefix = 'age-encryption.org/';
const argumentPattern = /^[\x21-\x7e]+$/;
const bodyLinePattern = /^[A-Za-z0-9+/]{0,64}$/;
const macLinePattern = /^--- ([A-Za-z0-9+/]{43})$/;

function headerError(message: string, cause?: unknown): Error {
  return ageError('AGE_HEADER', `age header: ${message}`, cause);
}

/** Base64 as the spec requires it: unpadded and canonical, else a header failure. */
export function decodeBase64Strict(text: string, what: string): Uint8Array {
  try {
    return base64nopad.decode(text);
  } catch (cause) {
    throw headerError(`${what} is not canonical unpadded base64`, cause);
  }
}

/** Lines are ASCII; any other byte (including a CR) makes the header invalid. */
function asciiLine(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length - 1; i++) {
    const b = bytes[i]!;
    if (b < 0x20 || b > 0x7e) throw headerError('a header line contains a byte that is not printable ASCII');
    s += String.fromCharCode(b);
  }
  return s;
}

/** Reads and parses the header; leaves the reader at the first payload byte (the nonce). */
export async function readHeader(reader: ByteReader): Promise<ParsedHeader> {
  let budget = maxHeaderBytes;
  const consumed: Uint8Array[] = [];

  const nextLine = async (): Promise<string> => {
    const line = await reader.readLine(budget);
    if (line === null) throw headerError(`the header is larger than ${maxHeaderBytes} bytes`);
    if (line.length === 0 || line[line.length - 1] !== 0x0a) throw headerError('the file ends inside the header');
    budget -= line.length;
    consumed.push(line);
    return asciiLine(line);
  };

  // An empty or binary file is "not an age file": still a header failure.
  const first = await nextLine();
  if (`${first}\n` !== versionLine) {
    if (first.startsWith(versionPrefix)) throw headerError(`unsupported version ${first.slice(versionPrefix.length)}`);
    throw headerError('the file does not start with the age version line');
  }

  const stanzas: Stanza[] = [];
  for (;;) {
    const line = await nextLine();
    if (line.startsWith('---')) {
      const m = macLinePattern.exec(line);
      if (!m) throw headerError('the MAC line is malformed');
      if (stanzas.length === 0) throw headerError('the header has no recipient stanza');
      const mac = decodeBase64Strict(m[1]!, 'the header MAC');
      // The MAC covers the header through "---", without the space that follows.
      const all = concatBytes(...consumed);
      const macInput = all.subarray(0, all.length - line.length - 1 + 3);
      return { stanzas, macInput, mac, length: all.length };
    }
    if (!line.startsWith('-> ')) throw headerError('expected a recipient stanza or the MAC line');
    if (stanzas.length >= maxStanzas) throw headerError(`more than ${maxStanzas} recipient stanzas`);
    const args = line.slice(3).split(' ');
    for (const arg of args) {
      if (!argumentPattern.test(arg)) throw headerError('a stanza argument is empty or has invalid characters');
    }
    const bodyParts: Uint8Array[] = [];
    for (;;) {
      const bodyLine = await nextLine();
      if (!bodyLinePattern.test(bodyLine)) throw headerError('a stanza body line is not base64 of at most 64 columns');
      bodyParts.push(decodeBase64Strict(bodyLine, 'a stanza body line'));
      if (bodyLine.length < 64) break;
    }
    stanzas.push({ args, body: concatBytes(...bodyParts) });
  }
}

export function headerMacKey(fileKey: Uint8Array): Uint8Array {
  return hkdf(sha256, fileKey, new Uint8Array(0), encoder.encode('header'), 32);
}

export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  return hmac(sha256, headerMacKey(fileKey), macInput);
}

/** Constant-time comparison, so a forger learns nothing from how long a check took. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Writes the header for `stanzas`, MAC'd with the file key. */
export function encodeHeader(stanzas: readonly Stanza[], fileKey: Uint8Array): Uint8Array {
  let text = versionLine;
  for (const s of stanzas) {
    if (s.args.length === 0 || !s.args.every((a) => argumentPattern.test(a))) {
      throw new TypeError('age stanza arguments must be non-empty printable ASCII without spaces');
    }
    text += `-> ${s.args.join(' ')}\n`;
    const b64 = base64nopad.encode(s.body);
    // Full lines of 64 columns, then a final shorter line — empty when the body fills its last line.
    let at = 0;
    for (; b64.length - at >= 64; at += 64) text += `${b64.slice(at, at + 64)}\n`;
    text += `${b64.slice(at)}\n`;
  }
  text += '---';
  const macInput = encoder.encode(text);
  const mac = headerMac(fileKey, macInput);
  return concatBytes(macInput, encoder.encode(` ${base64nopad.encode(mac)}\n`));
}
