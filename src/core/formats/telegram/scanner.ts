import { ClearingError } from '../../errors/index.js';

/**
 * A streaming JSON checker that builds nothing it is not asked for.
 *
 * It validates every character of the document (grammar, nesting, string and
 * number lengths) while holding only a small stack, and hands its listener the
 * keys of the containers the listener cares about and the exact source text of
 * the values it asks to capture. Everything else (a contacts list, a chat that
 * was not selected) is checked and forgotten as it streams past. Captured
 * values are then read by `JSON.parse`, which is native and fast: the scanner's
 * checks come first, so `JSON.parse` only ever sees text that is bounded
 * and shallow. Inside a captured container the scanner only follows
 * strings, nesting and lengths (fast), and leaves the grammar to `JSON.parse`,
 * whose refusal the listener turns into the same TELEGRAM_EXPORT_DAMAGED.
 *
 * Offsets in errors count UTF-16 characters of the decoded text from the
 * start of the document.
 */

/** What to do with a value that starts inside a container the listener watches. */
export const skip = 0;
export const capture = -1;
/** Any positive number: watch this container, with this role (the listener's own numbering). */
export type Treatment = number;

export interface ScanListener {
  /** A value starts in `role`'s container (0 at the top level), under `key` (objects) or at `index` (arrays). */
  enter(role: number, key: string | null, index: number, first: number): Treatment;
  /** A watched container's key was read. */
  key?(role: number, key: string): void;
  /** The captured value ended; `text` is its exact JSON source. */
  captured(role: number, key: string | null, index: number, text: string): void;
  /** A watched container closed. */
  close(role: number): void;
}

export interface ScanLimits {
  maxDepth: number;
  maxStringLength: number;
  /** The longest capture, unless the listener set `captureLimit` for this one. */
  maxCaptureLength: number;
}

// Grammar states.
const VALUE = 0;
const ARRAY_FIRST = 1;
const OBJECT_FIRST = 2;
const KEY = 3;
const COLON = 4;
const AFTER = 5;
const STRING = 6;
const ESCAPE = 7;
const HEX = 8;
const LITERAL = 9;
const END = 10;
// Number states.
const N_MINUS = 11;
const N_ZERO = 12;
const N_INT = 13;
const N_DOT = 14;
const N_FRAC = 15;
const N_E = 16;
const N_E_SIGN = 17;
const N_EXP = 18;
// A captured container: only its end, its nesting and its string lengths are tracked; `JSON.parse` checks the rest.
const FAST = 19;
const FAST_STRING = 20;

const maxNumberLength = 64;
const literals = ['true', 'false', 'null'];

const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

export class JsonScanner {
  /** Set by the listener inside `enter` before returning `capture`, for this capture only. */
  captureLimit = 0;
  /** Whether a capture over its limit is a message too large (rather than a value too long); set like `captureLimit`. */
  captureIsMessage = false;

  private state = VALUE;
  private depth = 0;
  /** Per depth: 1 for an object, 2 for an array. */
  private readonly kinds: Uint8Array;
  /** Per depth: the listener's role for a watched container, 0 for one it does not watch. */
  private readonly roles: Int32Array;
  private readonly indexes: Float64Array;
  private readonly keys: (string | null)[];
  /** The state to enter after a string: a key goes to COLON, a value ends. */
  private stringIsKey = false;
  private stringLength = 0;
  private hexLeft = 0;
  private literal = '';
  private literalAt = 0;
  private numberLength = 0;

  // The capture in progress: of a key (in a watched object) or of a value.
  private capturing = 0; // 0 none, 1 key, 2 value
  private captureDepth = 0;
  private captureStart = 0;
  private captureParts: string[] = [];
  private captureLength = 0;
  private captureMax = 0;
  private captureMessage = false;
  private captureRole = 0;
  private captureKey: string | null = null;
  private captureIndex = 0;

  /** The depth a fast capture ends at, and whether a string's backslash ended the last chunk. */
  private fastBase = 0;
  private fastEscape = false;

  private consumed = 0;
  private text = '';

  constructor(
    private readonly listener: ScanListener,
    private readonly limits: ScanLimits,
  ) {
    this.kinds = new Uint8Array(limits.maxDepth + 2);
    this.roles = new Int32Array(limits.maxDepth + 2);
    this.indexes = new Float64Array(limits.maxDepth + 2);
    this.keys = new Array(limits.maxDepth + 2).fill(null);
  }

  /** Where the scanner is, in characters from the start. */
  get offset(): number {
    return this.consumed;
  }

  private damagedAt(at: number): ClearingError {
    return new ClearingError('TELEGRAM_EXPORT_DAMAGED', { params: { offset: this.consumed + at } });
  }

  private damaged(at: number): never {
    throw this.damagedAt(at);
  }

  write(text: string): void {
    this.text = text;
    const n = text.length;
    let i = 0;
    // Hot locals; written back before any call that may read them.
    let state = this.state;
    while (i < n) {
      const c = text.charCodeAt(i);
      switch (state) {
        case FAST: {
          let d = this.depth;
          const kinds = this.kinds;
          const base = this.fastBase;
          let k = i;
          let ended = false;
          while (k < n) {
            const x = text.charCodeAt(k);
            if (x === 0x22) break;
            if (x === 0x7b || x === 0x5b) {
              if (d >= this.limits.maxDepth) {
                throw new ClearingError('TELEGRAM_EXPORT_TOO_DEEP', { params: { limit: this.limits.maxDepth, offset: this.consumed + k } });
              }
              kinds[++d] = x === 0x7b ? 1 : 2;
            } else if (x === 0x7d || x === 0x5d) {
              if (kinds[d] !== (x === 0x7d ? 1 : 2)) throw this.damagedAt(k);
              if (d - 1 === base) {
                ended = true;
                break;
              }
              d--;
            }
            k++;
          }
          this.depth = d;
          if (k === n) {
            i = n;
            continue;
          }
          i = k + 1;
          if (ended) {
            this.state = state;
            this.containerEnded(i);
            state = this.state;
          } else {
            state = FAST_STRING;
            this.stringLength = 0;
          }
          continue;
        }
        case FAST_STRING: {
          let k = i;
          if (this.fastEscape) {
            this.fastEscape = false;
            k++;
          }
          while (k < n) {
            const x = text.charCodeAt(k);
            if (x === 0x22) break;
            if (x === 0x5c) {
              if (k + 1 >= n) {
                this.fastEscape = true;
                k = n;
                break;
              }
              k += 2;
              continue;
            }
            k++;
          }
          if (k > n) k = n;
          this.stringLength += k - i;
          if (this.stringLength > this.limits.maxStringLength) this.tooLong(k);
          if (k === n) {
            i = n;
            continue;
          }
          state = FAST;
          i = k + 1;
          continue;
        }
        case STRING: {
          // Run to the next quote, backslash or control character.
          let j = i;
          let ch = c;
          while (ch !== 0x22 && ch !== 0x5c && ch >= 0x20) {
            j++;
            if (j === n) break;
            ch = text.charCodeAt(j);
          }
          this.stringLength += j - i;
          if (this.stringLength > this.limits.maxStringLength) this.tooLong(j);
          if (j === n) {
            i = j;
            continue;
          }
          if (ch === 0x22) {
            i = j + 1;
            state = this.stringIsKey ? COLON : AFTER;
            this.state = state;
            if (this.stringIsKey) this.keyEnded(i);
            else this.scalarEnded(i);
            state = this.state;
            continue;
          }
          if (ch === 0x5c) {
            state = ESCAPE;
            i = j + 1;
            continue;
          }
          throw this.damagedAt(j);
        }
        case ESCAPE: {
          if (c === 0x75) {
            state = HEX;
            this.hexLeft = 4;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
            state = STRING;
          } else {
            this.damaged(i);
          }
          this.stringLength++;
          i++;
          continue;
        }
        case HEX: {
          if (!isHex(c)) this.damaged(i);
          if (--this.hexLeft === 0) state = STRING;
          i++;
          continue;
        }
        case AFTER: {
          if (isWhitespace(c)) {
            i++;
            continue;
          }
          const kind = this.kinds[this.depth];
          if (c === 0x2c) {
            if (kind === 1) state = KEY;
            else {
              this.indexes[this.depth]!++;
              state = VALUE;
            }
            i++;
            continue;
          }
          if ((c === 0x7d && kind === 1) || (c === 0x5d && kind === 2)) {
            i++;
            this.state = state;
            this.containerEnded(i);
            state = this.state;
            continue;
          }
          throw this.damagedAt(i);
        }
        case VALUE:
        case ARRAY_FIRST: {
          if (isWhitespace(c)) {
            i++;
            continue;
          }
          if (state === ARRAY_FIRST && c === 0x5d) {
            i++;
            this.state = state;
            this.containerEnded(i);
            state = this.state;
            continue;
          }
          this.state = state;
          this.valueStarts(i, c);
          state = this.state;
          i++;
          continue;
        }
        case OBJECT_FIRST:
        case KEY: {
          if (isWhitespace(c)) {
            i++;
            continue;
          }
          if (state === OBJECT_FIRST && c === 0x7d) {
            i++;
            this.state = state;
            this.containerEnded(i);
            state = this.state;
            continue;
          }
          if (c !== 0x22) this.damaged(i);
          this.stringIsKey = true;
          this.stringLength = 0;
          if (this.roles[this.depth] !== 0 && this.capturing === 0) this.beginCapture(1, i, this.limits.maxStringLength + 2);
          state = STRING;
          i++;
          continue;
        }
        case COLON: {
          if (isWhitespace(c)) {
            i++;
            continue;
          }
          if (c !== 0x3a) this.damaged(i);
          state = VALUE;
          i++;
          continue;
        }
        case LITERAL: {
          if (c !== this.literal.charCodeAt(this.literalAt)) this.damaged(i);
          i++;
          if (++this.literalAt === this.literal.length) {
            this.state = AFTER;
            this.scalarEnded(i);
            state = this.state;
          }
          continue;
        }
        case END: {
          if (!isWhitespace(c)) this.damaged(i);
          i++;
          continue;
        }
        default: {
          // Numbers: the grammar of RFC 8259, length-bounded.
          let next = -1;
          if (state === N_MINUS) next = c === 0x30 ? N_ZERO : isDigit(c) ? N_INT : -2;
          else if (state === N_ZERO) next = c === 0x2e ? N_DOT : c === 0x65 || c === 0x45 ? N_E : -1;
          else if (state === N_INT) next = isDigit(c) ? N_INT : c === 0x2e ? N_DOT : c === 0x65 || c === 0x45 ? N_E : -1;
          else if (state === N_DOT) next = isDigit(c) ? N_FRAC : -2;
          else if (state === N_FRAC) next = isDigit(c) ? N_FRAC : c === 0x65 || c === 0x45 ? N_E : -1;
          else if (state === N_E) next = isDigit(c) ? N_EXP : c === 0x2b || c === 0x2d ? N_E_SIGN : -2;
          else if (state === N_E_SIGN) next = isDigit(c) ? N_EXP : -2;
          else if (state === N_EXP) next = isDigit(c) ? N_EXP : -1;
          if (next === -2) this.damaged(i);
          if (next === -1) {
            // The number ended before this character, which is read again as what follows it.
            this.state = AFTER;
            this.scalarEnded(i);
            state = this.state;
            continue;
          }
          if (++this.numberLength > maxNumberLength) this.tooLong(i);
          state = next;
          i++;
        }
      }
    }
    this.state = state;
    if (this.capturing !== 0) {
      this.captureParts.push(text.slice(this.captureStart));
      this.captureLength += n - this.captureStart;
      this.captureStart = 0;
      if (this.captureLength > this.captureMax) this.captureTooLong(n);
    }
    this.consumed += n;
    this.text = '';
  }

  /** The document is complete: anything else is a truncated file. */
  end(): void {
    const s = this.state;
    if (s === END) return;
    // A top-level number is complete at the end of the input.
    if (this.depth === 0 && (s === N_ZERO || s === N_INT || s === N_FRAC || s === N_EXP)) {
      this.text = '';
      this.scalarEnded(0);
      if (this.state === END) return;
    }
    throw new ClearingError('TELEGRAM_EXPORT_TRUNCATED', { params: { offset: this.consumed } });
  }

  private tooLong(at: number): never {
    throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: this.limits.maxStringLength, offset: this.consumed + at } });
  }

  private captureTooLong(at: number): never {
    if (!this.captureMessage) {
      throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: this.captureMax, offset: this.consumed + at } });
    }
    throw new ClearingError('TELEGRAM_MESSAGE_TOO_LARGE', { params: { limit: this.captureMax, offset: this.consumed + at } });
  }

  private beginCapture(kind: number, at: number, max: number): void {
    this.capturing = kind;
    this.captureStart = at;
    this.captureParts = [];
    this.captureLength = 0;
    this.captureMax = max;
    this.captureMessage = false;
    this.captureDepth = this.depth;
  }

  private takeCapture(end: number): string {
    const tail = this.text.slice(this.captureStart, end);
    this.captureLength += end - this.captureStart;
    if (this.captureLength > this.captureMax) this.captureTooLong(end);
    const parts = this.captureParts;
    this.capturing = 0;
    this.captureParts = [];
    if (parts.length === 0) return tail;
    parts.push(tail);
    return parts.join('');
  }

  private valueStarts(at: number, c: number): void {
    const depth = this.depth;
    const role = this.roles[depth]!;
    const valueStart = c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || isDigit(c) || c === 0x74 || c === 0x66 || c === 0x6e;
    if (!valueStart) this.damaged(at);
    let treatment: Treatment = skip;
    if (this.capturing === 0 && (depth === 0 || role !== 0)) {
      const kind = this.kinds[depth];
      const key = kind === 1 ? this.keys[depth]! : null;
      const index = kind === 2 ? this.indexes[depth]! : 0;
      this.captureLimit = this.limits.maxCaptureLength;
      this.captureIsMessage = false;
      treatment = this.listener.enter(role, key, index, c);
      if (treatment === capture) {
        this.beginCapture(2, at, this.captureLimit);
        this.captureMessage = this.captureIsMessage;
        this.captureRole = role;
        this.captureKey = key;
        this.captureIndex = index;
      }
    }
    if (c === 0x7b || c === 0x5b) {
      if (depth >= this.limits.maxDepth) {
        throw new ClearingError('TELEGRAM_EXPORT_TOO_DEEP', { params: { limit: this.limits.maxDepth, offset: this.consumed + at } });
      }
      const inner = depth + 1;
      this.depth = inner;
      this.kinds[inner] = c === 0x7b ? 1 : 2;
      this.roles[inner] = treatment > 0 ? treatment : 0;
      this.indexes[inner] = 0;
      this.keys[inner] = null;
      if (treatment === capture) {
        this.fastBase = depth;
        this.fastEscape = false;
        this.state = FAST;
        return;
      }
      this.state = c === 0x7b ? OBJECT_FIRST : ARRAY_FIRST;
      return;
    }
    if (c === 0x22) {
      this.stringIsKey = false;
      this.stringLength = 0;
      this.state = STRING;
      return;
    }
    if (c === 0x2d || isDigit(c)) {
      this.numberLength = 1;
      this.state = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
      return;
    }
    this.literal = c === 0x74 ? literals[0]! : c === 0x66 ? literals[1]! : literals[2]!;
    this.literalAt = 1;
    this.state = LITERAL;
  }

  private keyEnded(end: number): void {
    if (this.capturing !== 1) return;
    const raw = this.takeCapture(end);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    this.keys[this.depth] = key;
    this.listener.key?.(this.roles[this.depth]!, key);
  }

  /** A scalar ended at `end` (exclusive); the state is already AFTER. */
  private scalarEnded(end: number): void {
    if (this.capturing === 2 && this.captureDepth === this.depth) this.finishCapture(end);
    if (this.depth === 0) this.state = END;
  }

  private containerEnded(end: number): void {
    const role = this.roles[this.depth]!;
    this.depth--;
    this.state = this.depth === 0 ? END : AFTER;
    if (this.capturing === 2 && this.captureDepth === this.depth) this.finishCapture(end);
    if (role > 0) this.listener.close(role);
  }

  private finishCapture(end: number): void {
    const text = this.takeCapture(end);
    this.listener.captured(this.captureRole, this.captureKey, this.captureIndex, text);
  }
}
