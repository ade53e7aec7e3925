/**
 * age's ASCII armor (C2SP age, "ASCII armor"): strict RFC 7468 PEM with the
 * label AGE ENCRYPTED FILE, 64 columns of padded canonical base64, LF or CRLF.
 * Only whitespace is tolerated around the block; everything else that a
 * lenient PEM parser would accept is an armor failure, because accepting it
 * would make armored files malleable.
 */
import { base64 } from '@scure/base';
import type { ByteReader } from './bytes.js';
import { ageError } from './errors.js';

const beginLine = '-----BEGIN AGE ENCRYPTED FILE-----';
const endLine = '-----END AGE ENCRYPTED FILE-----';
const columns = 64;
const bytesPerLine = 48;
/** Whitespace allowed before and after the block, as the reference reader allows. */
const maxWhitespace = 1024;

const encoder = new TextEncoder();

function armorError(message: string, cause?: unknown): Error {
  return ageError('AGE_ARMOR', `age armor: ${message}`, cause);
}

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

/**
 * Whether the upcoming bytes are armor: after optional whitespace they start
 * with a PEM dash line. A binary age file starts with "age-encryption.org/".
 * Anything PEM-like counts as armor, so a wrong label is an armor failure
 * rather than a confusing header failure.
 */
export async function looksArmored(reader: ByteReader): Promise<boolean> {
  const head = await reader.peek(maxWhitespace + 5);
  let i = 0;
  while (i < head.length && isWhitespace(head[i]!)) i++;
  if (i === 0 && head.length > 0 && head[0] !== 0x2d) return false;
  for (let k = 0; k < 5; k++) if (head[i + k] !== 0x2d) return false;
  return true;
}

/** One line without its LF or CRLF, as text; null at the very end of input. */
async function nextLine(reader: ByteReader): Promise<string | null> {
  // Room for 64 columns, CRLF and one extra byte to notice an overlong line.
  const raw = await reader.readLine(columns + 3);
  if (raw === null) throw armorError('a line is longer than 64 columns');
  if (raw.length === 0) return null;
  let end = raw.length;
  if (raw[end - 1] === 0x0a) end--;
  if (end > 0 && raw[end - 1] === 0x0d) end--;
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(raw[i]!);
  return s;
}

async function readLeading(reader: ByteReader): Promise<void> {
  let skipped = 0;
  for (;;) {
    const head = await reader.peek(1);
    if (head.length === 0) throw armorError('the input ends before the BEGIN line');
    if (!isWhitespace(head[0]!)) return;
    const line = await reader.readLine(maxWhitespace + 1 - skipped);
    if (line === null) throw armorError('too much whitespace before the BEGIN line');
    for (const b of line) if (!isWhitespace(b)) throw armorError('the BEGIN line is preceded by text');
    skipped += line.length;
    if (skipped > maxWhitespace) throw armorError('too much whitespace before the BEGIN line');
  }
}

async function readTrailing(reader: ByteReader): Promise<void> {
  const tail = await reader.read(maxWhitespace + 1);
  for (const b of tail) if (!isWhitespace(b)) throw armorError('text follows the END line');
  if (tail.length > maxWhitespace) throw armorError('too much whitespace after the END line');
}

/**
 * The binary age file inside the armor. Decoded lines are yielded in batches;
 * on an armor error the bytes decoded before it are yielded first, so a reader
 * sees exactly the bytes that precede the damage.
 */
export async function* dearmor(reader: ByteReader): AsyncGenerator<Uint8Array> {
  const batchLines = 256;
  let pending: Uint8Array[] = [];
  let failure: unknown;
  const flush = (): Uint8Array | null => {
    if (pending.length === 0) return null;
    const out = new Uint8Array(pending.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of pending) {
      out.set(p, at);
      at += p.length;
    }
    pending = [];
    return out;
  };
  try {
    await readLeading(reader);
    const first = await nextLine(reader);
    if (first !== beginLine) throw armorError('the BEGIN line is not -----BEGIN AGE ENCRYPTED FILE-----');
    for (;;) {
      const line = await nextLine(reader);
      if (line === null) throw armorError('the input ends before the END line');
      if (line === endLine) break;
      // An empty line would decode to nothing and let the END line follow a full line one line late (C2SP age forbids it).
      if (line.length === 0) throw armorError('an empty line inside the armor');
      if (line.length > columns) throw armorError('a line is longer than 64 columns');
      let bytes: Uint8Array;
      try {
        bytes = base64.decode(line);
      } catch (cause) {
        throw armorError('a line is not canonical base64', cause);
      }
      pending.push(bytes);
      if (bytes.length < bytesPerLine) {
        // Only the last line may be short, and the END line must follow it.
        const closing = await nextLine(reader);
        if (closing !== endLine) throw armorError('a short line is not followed by the END line');
        break;
      }
      if (pending.length >= batchLines) yield flush()!;
    }
    await readTrailing(reader);
  } catch (error) {
    failure = error;
  }
  const last = flush();
  if (last) yield last;
  if (failure !== undefined) throw failure;
}

/** Wraps a binary age file in the armor, streaming: 64 columns, LF line ends. */
export async function* armor(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield encoder.encode(`${beginLine}\n`);
  let carry = new Uint8Array(0);
  for await (const piece of source) {
    let data = piece;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + piece.length);
      data.set(carry);
      data.set(piece, carry.length);
    }
    const whole = data.length - (data.length % bytesPerLine);
    if (whole > 0) {
      let text = '';
      for (let at = 0; at < whole; at += bytesPerLine) text += `${base64.encode(data.subarray(at, at + bytesPerLine))}\n`;
      yield encoder.encode(text);
    }
    carry = data.slice(whole);
  }
  // A file ending on a full line gets no extra empty line: END follows directly.
  const tail = carry.length > 0 ? `${base64.encode(carry)}\n` : '';
  yield encoder.encode(`${tail}${endLine}\n`);
}
