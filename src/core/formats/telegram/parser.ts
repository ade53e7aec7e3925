import { ClearingError } from '../../errors/index.js';
import { maxNameLength, readMessage, type MediaCheck } from './message.js';
import { capture, JsonScanner, skip, type ScanListener, type Treatment } from './scanner.js';
import type { ChatHeader, ChatMessage, ChatSection, JsonValue } from './types.js';

export interface TelegramParseOptions {
  /** Telegram chat ids to read; the messages of every other chat are checked and skipped without being built. All chats when absent. */
  readonly chats?: readonly number[];
  /** Refuse an export with more messages than this (in the chats read). Default 2,000,000. */
  readonly maxMessages?: number;
  /** Deepest nesting accepted. Default 64 (Telegram writes fewer than 10 levels). */
  readonly maxDepth?: number;
  /** Longest string anywhere, and longest message text, in characters. Default 1 MiB. */
  readonly maxTextLength?: number;
  /** Longest single message as JSON source, in characters. Default 8 MiB. */
  readonly maxMessageLength?: number;
  /** Checks each exported file a message refers to (the zip reader passes one built from the archive). */
  readonly checkMedia?: MediaCheck;
}

export type TelegramEvent =
  /** A chat's header, before its messages (name, type and id as far as they came before `messages`). */
  | { readonly kind: 'chat'; readonly chat: ChatHeader }
  | { readonly kind: 'message'; readonly message: ChatMessage }
  /** The chat is complete: its final header (fields written after the messages included) and how many messages were read. */
  | { readonly kind: 'chat-end'; readonly chat: ChatHeader; readonly messages: number };

export interface ExportSummary {
  /** A one-chat export ("Export chat history") or a whole account ("Export Telegram data"). */
  readonly shape: 'chat' | 'account';
  readonly chats: number;
  readonly selectedChats: number;
  readonly messages: number;
  /** Top-level sections not read (contacts, personal_information, …): checked and skipped. */
  readonly skippedSections: readonly string[];
  /** The exporting computer's offset from UTC, in minutes, seen on most messages; null when no message has both times. */
  readonly utcOffsetMinutes: number | null;
  /** Every offset seen (a summer-time change gives two), with how many messages had it. */
  readonly utcOffsets: readonly { readonly minutes: number; readonly messages: number }[];
}

export const telegramDefaults = {
  maxMessages: 2_000_000,
  maxDepth: 64,
  maxTextLength: 1024 * 1024,
  maxMessageLength: 8 * 1024 * 1024,
} as const;

// Roles of the containers the parser watches.
const TOP = 1;
const SECTION = 2;
const LIST = 3;
const CHAT = 4;
const MESSAGES = 5;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;

/** Top-level keys of a whole-account export ("Export Telegram data"). */
const accountSections = new Set([
  'about',
  'personal_information',
  'profile_pictures',
  'contacts',
  'frequent_contacts',
  'sessions',
  'web_sessions',
  'other_data',
  'stories',
  'chats',
  'left_chats',
]);

/** Largest header field (name, type, id) as JSON source; unknown chat fields may be larger. */
const headerFieldLength = maxNameLength * 6 + 2;
const chatExtraLength = 1024 * 1024;
/** Decode and scan at most this much at once, whatever size of chunk the caller hands over. */
const sliceBytes = 1024 * 1024;

interface OpenChat {
  chatKey: string;
  section: ChatSection;
  id: number | null;
  name: string | null;
  type: string | null;
  extra: [string, JsonValue][];
  /** Characters of unknown fields kept so far, against `chatExtraLength`. */
  extraLength: number;
  selected: boolean;
  announced: boolean;
  messages: number;
}

function newChat(section: ChatSection, index: number): OpenChat {
  return {
    chatKey: section === 'chat' ? 'chat' : `${section}.${index}`,
    section,
    id: null,
    name: null,
    type: null,
    extra: [],
    extraLength: 0,
    selected: true,
    announced: false,
    messages: 0,
  };
}

function header(chat: OpenChat): ChatHeader {
  return {
    chatKey: chat.chatKey,
    section: chat.section,
    id: chat.id,
    name: chat.name,
    type: chat.type,
    selected: chat.selected,
    extra: Object.fromEntries(chat.extra),
  };
}

/**
 * A push parser of Telegram Desktop's "Machine-readable JSON" export
 * (`result.json`), one chat or a whole account. Feed it chunks as they arrive;
 * each `write` returns what became complete: chat headers and messages, one
 * ChatMessage at a time. Memory stays bounded by the limits, whatever the size
 * of the file.
 *
 * Failure: every refusal is a ClearingError with a code from
 * `evidenceErrorCodes` (TELEGRAM_*). Once one is thrown, every later call
 * throws it again, and `end()` — which must be called, and which alone says the
 * export was complete and sound — throws too. Events handed out before the
 * failure belong to a refused import: the caller must discard them all (keep
 * them in a transaction, a staging area, or memory until `end()` returns).
 */
export class TelegramExportParser {
  private readonly scanner: JsonScanner;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly only: ReadonlySet<number> | null;
  private readonly limits: Required<Omit<TelegramParseOptions, 'chats' | 'checkMedia'>>;
  private readonly checkMedia: MediaCheck | undefined;
  private events: TelegramEvent[] = [];
  private failure: unknown = null;
  private ended = false;

  private top: OpenChat = newChat('chat', 0);
  private chat: OpenChat | null = null;
  private section: ChatSection = 'chats';
  private oneChat = false;
  private account = false;
  private chatCount = 0;
  private selectedCount = 0;
  private messageCount = 0;
  private readonly skipped: string[] = [];
  private readonly offsets = new Map<number, number>();

  constructor(options: TelegramParseOptions = {}) {
    this.limits = {
      maxMessages: options.maxMessages ?? telegramDefaults.maxMessages,
      maxDepth: options.maxDepth ?? telegramDefaults.maxDepth,
      maxTextLength: options.maxTextLength ?? telegramDefaults.maxTextLength,
      maxMessageLength: options.maxMessageLength ?? telegramDefaults.maxMessageLength,
    };
    this.only = options.chats ? new Set(options.chats) : null;
    this.checkMedia = options.checkMedia;
    const listener: ScanListener = {
      enter: (role, key, index, first) => this.enter(role, key, index, first),
      captured: (role, key, _index, text) => this.captured(role, key, text),
      close: (role) => this.close(role),
    };
    this.scanner = new JsonScanner(listener, {
      maxDepth: this.limits.maxDepth,
      maxStringLength: this.limits.maxTextLength,
      maxCaptureLength: headerFieldLength,
    });
  }

  /** Feeds the next bytes of result.json; returns the chats and messages they completed. */
  write(chunk: Uint8Array): TelegramEvent[] {
    this.guard();
    try {
      for (let at = 0; at < chunk.length; at += sliceBytes) {
        const piece = chunk.subarray(at, Math.min(chunk.length, at + sliceBytes));
        this.scanner.write(this.decode(piece, true));
      }
    } catch (error) {
      this.fail(error);
    }
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Ends the input. Throws if the export was incomplete or anything was refused; otherwise says what was read. */
  end(): ExportSummary {
    this.guard();
    try {
      this.scanner.write(this.decode(new Uint8Array(0), false));
      this.scanner.end();
      if (!this.oneChat && !this.account) throw new ClearingError('TELEGRAM_NOT_AN_EXPORT');
    } catch (error) {
      this.fail(error);
    }
    this.ended = true;
    let best: number | null = null;
    let bestCount = 0;
    const utcOffsets = [...this.offsets].map(([minutes, messages]) => ({ minutes, messages })).sort((a, b) => b.messages - a.messages);
    for (const { minutes, messages } of utcOffsets) if (messages > bestCount) [best, bestCount] = [minutes, messages];
    return {
      shape: this.oneChat && !this.account ? 'chat' : 'account',
      chats: this.chatCount,
      selectedChats: this.selectedCount,
      messages: this.messageCount,
      skippedSections: [...this.skipped],
      utcOffsetMinutes: best,
      utcOffsets,
    };
  }

  private guard(): void {
    if (this.failure !== null) throw this.failure;
    if (this.ended) throw new Error('TelegramExportParser: already ended');
  }

  private fail(error: unknown): never {
    this.events = [];
    this.failure = error;
    throw error;
  }

  private decode(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch {
      throw new ClearingError('TELEGRAM_EXPORT_DAMAGED', { params: { offset: this.scanner.offset }, detail: 'not UTF-8' });
    }
  }

  private invalid(field: string, detail: string): never {
    throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field }, detail });
  }

  private enter(role: number, key: string | null, index: number, first: number): Treatment {
    const container = first === OPEN_OBJECT || first === OPEN_ARRAY;
    switch (role) {
      case 0:
        if (first !== OPEN_OBJECT) throw new ClearingError('TELEGRAM_NOT_AN_EXPORT');
        return TOP;
      case TOP:
        if (key === 'messages') return this.openMessages(this.top, first, 'messages');
        if (key === 'chats' || key === 'left_chats') {
          this.account = true;
          if (first !== OPEN_OBJECT) this.invalid(key, 'not an object');
          this.section = key;
          return SECTION;
        }
        if (key !== null && accountSections.has(key)) this.account = true;
        if (key === 'name' || key === 'type' || key === 'id') return capture;
        // A container at the top is an account section to skip, unless the export already looks like one chat.
        if (container && (this.account || (!this.oneChat && this.top.id === null && this.top.type === null))) {
          if (key !== null && this.skipped.length < 64) this.skipped.push(key);
          return skip;
        }
        return this.captureExtra(this.top);
      case SECTION:
        if (key === 'list') {
          if (first !== OPEN_ARRAY) this.invalid(`${this.section}.list`, 'not a list');
          return LIST;
        }
        return skip;
      case LIST:
        if (first !== OPEN_OBJECT) this.invalid(`${this.section}.list[${index}]`, 'not a chat');
        this.chat = newChat(this.section, index);
        this.chatCount++;
        return CHAT;
      case CHAT: {
        const chat = this.chat!;
        if (key === 'messages') return this.openMessages(chat, first, `${chat.chatKey}.messages`);
        if (key !== 'name' && key !== 'type' && key !== 'id') return this.captureExtra(chat);
        return capture;
      }
      case MESSAGES: {
        const chat = this.chat!;
        if (first !== OPEN_OBJECT) this.invalid(`${chat.chatKey}.messages[${index}]`, 'not a message');
        if (!chat.selected) return skip;
        if (++this.messageCount > this.limits.maxMessages)
          throw new ClearingError('TELEGRAM_TOO_MANY_MESSAGES', { params: { limit: this.limits.maxMessages } });
        this.scanner.captureLimit = this.limits.maxMessageLength;
        this.scanner.captureIsMessage = true;
        return capture;
      }
      default:
        return skip;
    }
  }

  /** An unknown field of a chat, kept within one budget for all of that chat's unknown fields. */
  private captureExtra(chat: OpenChat): Treatment {
    this.scanner.captureLimit = chatExtraLength - chat.extraLength;
    return capture;
  }

  private openMessages(chat: OpenChat, first: number, field: string): Treatment {
    if (first !== OPEN_ARRAY) this.invalid(field, 'not a list');
    if (chat.announced) this.invalid(field, 'a second list of messages');
    if (chat === this.top) {
      this.oneChat = true;
      this.chatCount++;
    }
    if (this.only !== null) {
      if (chat.id === null) this.invalid(`${chat.chatKey}.id`, 'no chat id before the messages, so the chat cannot be chosen');
      chat.selected = this.only.has(chat.id);
    }
    if (chat.selected) this.selectedCount++;
    chat.announced = true;
    this.chat = chat;
    this.events.push({ kind: 'chat', chat: header(chat) });
    return MESSAGES;
  }

  /** The scanner leaves the grammar of captured containers to `JSON.parse`: its refusal is damage like any other. */
  private parseCaptured(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ClearingError('TELEGRAM_EXPORT_DAMAGED', { params: { offset: this.scanner.offset } });
    }
  }

  private captured(role: number, key: string | null, text: string): void {
    if (role === MESSAGES) {
      const chat = this.chat!;
      const message = readMessage(this.parseCaptured(text), text, {
        chatKey: chat.chatKey,
        chatId: chat.id,
        maxTextLength: this.limits.maxTextLength,
        checkMedia: this.checkMedia,
      });
      chat.messages++;
      const offset = message.date.utcOffsetMinutes;
      if (offset !== null && (this.offsets.has(offset) || this.offsets.size < 64)) this.offsets.set(offset, (this.offsets.get(offset) ?? 0) + 1);
      this.events.push({ kind: 'message', message });
      return;
    }
    const chat = role === TOP ? this.top : this.chat!;
    const value = this.parseCaptured(text) as JsonValue;
    const field = `${chat.chatKey}.${key}`;
    if (key === 'id') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.invalid(field, 'not a safe integer');
      chat.id = value;
    } else if (key === 'name' || key === 'type') {
      if (value !== null && typeof value !== 'string') this.invalid(field, 'not a string');
      if (typeof value === 'string' && value.length > maxNameLength) {
        throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: maxNameLength, field } });
      }
      chat[key] = value;
    } else if (key !== null) {
      chat.extraLength += text.length;
      chat.extra.push([key, value]);
    }
  }

  private close(role: number): void {
    if (role === CHAT) {
      const chat = this.chat!;
      if (!chat.announced) {
        // A chat without a list of messages: announce it all the same, so every chat is accounted for.
        if (this.only !== null) chat.selected = chat.id !== null && this.only.has(chat.id);
        if (chat.selected) this.selectedCount++;
        chat.announced = true;
        this.events.push({ kind: 'chat', chat: header(chat) });
      }
      this.events.push({ kind: 'chat-end', chat: header(chat), messages: chat.messages });
      this.chat = null;
    } else if (role === TOP && this.oneChat) {
      this.events.push({ kind: 'chat-end', chat: header(this.top), messages: this.top.messages });
    }
  }
}

/**
 * Reads a whole result.json from any stream of bytes (a `File.stream()`, a
 * Node read stream): yields chats and messages as they complete and returns
 * the summary. It throws, like the parser's `end()`, if anything is wrong;
 * whatever it yielded before must then be discarded.
 */
export async function* readTelegramExport(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: TelegramParseOptions = {},
): AsyncGenerator<TelegramEvent, ExportSummary, undefined> {
  const parser = new TelegramExportParser(options);
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += 64 * 1024) yield* parser.write(chunk.subarray(at, at + 64 * 1024));
  }
  return parser.end();
}
