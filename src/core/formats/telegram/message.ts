import { ClearingError } from '../../errors/index.js';
import { maxPathLength, readMediaReference } from './paths.js';
import type {
  ChatMessage,
  ContactInformation,
  ExportTime,
  ImportProblem,
  JsonValue,
  LocationInformation,
  Media,
  MediaFile,
  Poll,
  Reaction,
  ServiceAction,
  TextEntity,
  UnknownFields,
} from './types.js';

/** Checks one exported file a message refers to; the zip reader supplies it. */
export type MediaCheck = (path: string, expected: string) => ImportProblem | null;

export interface MessageContext {
  readonly chatKey: string;
  readonly chatId: number | null;
  readonly maxTextLength: number;
  readonly checkMedia: MediaCheck | undefined;
}

/** Names, ids, mime types and other short strings. */
export const maxNameLength = 4096;

type Obj = Record<string, unknown>;

const noFields: UnknownFields = Object.freeze({});

const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads one object's fields, remembering which were read so the rest can be kept as they are. */
class FieldReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly o: Obj,
    private readonly at: string,
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.o, key);
  }

  invalid(key: string, reason: string): never {
    throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field: `${this.at}.${key}` }, detail: reason });
  }

  raw(key: string): unknown {
    this.used.add(key);
    return Object.hasOwn(this.o, key) ? this.o[key] : undefined;
  }

  string(key: string, max = maxNameLength): string | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.invalid(key, 'not a string');
    if (v.length > max) throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: max, field: `${this.at}.${key}` } });
    return v;
  }

  integer(key: string): number | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) this.invalid(key, 'not a safe integer');
    return v;
  }

  /** Sizes, durations, dimensions: non-negative safe integers. */
  count(key: string): number | null {
    const v = this.integer(key);
    if (v !== null && v < 0) this.invalid(key, 'negative');
    return v;
  }

  finite(key: string): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isFinite(v)) this.invalid(key, 'not a number');
    return v;
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') this.invalid(key, 'not true or false');
    return v;
  }

  /** `*_unixtime`: a string of decimal seconds in the exports seen so far; a number is accepted too. */
  unixtime(key: string): number | null {
    const v = this.raw(key);
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return this.invalid(key, 'not seconds since the epoch');
  }

  media(key: string): MediaFile | null {
    const v = this.string(key, maxPathLength);
    return v === null ? null : readMediaReference(v, `${this.at}.${key}`);
  }

  /** Every field not read, as it was parsed (own keys only, so `__proto__` stays a plain key). */
  rest(): UnknownFields {
    const out: [string, JsonValue][] = [];
    for (const key of Object.keys(this.o)) if (!this.used.has(key)) out.push([key, this.o[key] as JsonValue]);
    return out.length === 0 ? noFields : Object.fromEntries(out);
  }
}

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

function utcText(unixtime: number): string | null {
  const ms = unixtime * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** local − UTC in minutes; null when the local time is not in Telegram's form. */
function offsetMinutes(local: string, unixtime: number): number | null {
  const m = localPattern.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (!Number.isFinite(asUtc)) return null;
  return Math.round((asUtc / 1000 - unixtime) / 60);
}

function readTime(r: FieldReader, localKey: string, unixKey: string): ExportTime | null {
  const local = r.string(localKey, 64);
  const unixtime = r.unixtime(unixKey);
  if (local === null && unixtime === null) return null;
  const utc = unixtime === null ? null : utcText(unixtime);
  return { local, unixtime, utc, utcOffsetMinutes: local !== null && unixtime !== null ? offsetMinutes(local, unixtime) : null };
}

function readEntity(value: unknown, at: string, max: number): TextEntity {
  if (typeof value === 'string') return { type: 'plain', text: value };
  if (!isObject(value)) throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field: at }, detail: 'not a text piece' });
  // The common case, {type, text} with short strings, without the general reader.
  const { type: t, text: x } = value;
  let keys = 0;
  for (const _ in value) keys++;
  if (keys === 2 && typeof t === 'string' && typeof x === 'string' && t.length <= 64 && x.length <= max) return { type: t, text: x };
  const r = new FieldReader(value, at);
  const entity: { type: string; text: string; href?: string; userId?: number; extra?: UnknownFields } = {
    type: r.string('type', 64) ?? 'plain',
    text: r.string('text', max) ?? '',
  };
  const href = r.string('href');
  if (href !== null) entity.href = href;
  const userId = r.integer('user_id');
  if (userId !== null) entity.userId = userId;
  const extra = r.rest();
  if (Object.keys(extra).length > 0) entity.extra = extra;
  return entity;
}

function readText(r: FieldReader, at: string, max: number): { text: string; entities: TextEntity[] } {
  const fromText = r.raw('text');
  const fromEntities = r.raw('text_entities');
  let pieces: unknown[];
  let where: string;
  if (Array.isArray(fromEntities)) {
    pieces = fromEntities;
    where = `${at}.text_entities`;
  } else if (fromEntities !== undefined && fromEntities !== null) {
    return r.invalid('text_entities', 'not a list');
  } else if (typeof fromText === 'string') {
    pieces = fromText === '' ? [] : [fromText];
    where = `${at}.text`;
  } else if (Array.isArray(fromText)) {
    pieces = fromText;
    where = `${at}.text`;
  } else if (fromText === undefined || fromText === null) {
    pieces = [];
    where = `${at}.text`;
  } else {
    return r.invalid('text', 'not text');
  }
  // `text` is still checked when `text_entities` is the one used: a hostile export cannot hide a bad value there.
  if (fromText !== undefined && fromText !== null && typeof fromText !== 'string' && !Array.isArray(fromText)) r.invalid('text', 'not text');
  const entities = pieces.map((piece, i) => readEntity(piece, `${where}[${i}]`, max));
  let length = 0;
  for (const e of entities) length += e.text.length;
  if (length > max) throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: max, field: where } });
  return { text: entities.map((e) => e.text).join(''), entities };
}

function readMedia(r: FieldReader, problems: ImportProblem[], context: MessageContext): Media | null {
  const check = (file: MediaFile | null, expected: string) => {
    if (file?.exported && context.checkMedia) {
      const problem = context.checkMedia(file.path, expected);
      if (problem) problems.push(problem);
    }
  };
  if (r.has('photo')) {
    const file = r.media('photo');
    if (file === null) return null;
    check(file, 'photo');
    return { kind: 'photo', file, width: r.count('width'), height: r.count('height'), fileSize: r.count('photo_file_size') };
  }
  if (!r.has('file')) return null;
  const file = r.media('file');
  if (file === null) return null;
  const mediaType = r.string('media_type', 64);
  const mimeType = r.string('mime_type', 256);
  const thumbnail = r.media('thumbnail');
  check(file, mediaType ?? mimeType ?? 'file');
  check(thumbnail, 'thumbnail');
  return {
    kind: 'file',
    file,
    mediaType,
    mimeType,
    durationSeconds: r.count('duration_seconds'),
    width: r.count('width'),
    height: r.count('height'),
    thumbnail,
    fileName: r.string('file_name'),
    stickerEmoji: r.string('sticker_emoji', 64),
    fileSize: r.count('file_size'),
  };
}

function readContact(r: FieldReader, at: string): ContactInformation | null {
  const v = r.raw('contact_information');
  const vcard = r.media('contact_vcard');
  if (v === undefined || v === null) return vcard === null ? null : { firstName: null, lastName: null, phoneNumber: null, vcard };
  if (!isObject(v)) return r.invalid('contact_information', 'not an object');
  const c = new FieldReader(v, `${at}.contact_information`);
  return { firstName: c.string('first_name'), lastName: c.string('last_name'), phoneNumber: c.string('phone_number', 256), vcard };
}

function readLocation(r: FieldReader, at: string): LocationInformation | null {
  const v = r.raw('location_information');
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return r.invalid('location_information', 'not an object');
  const l = new FieldReader(v, `${at}.location_information`);
  return { latitude: l.finite('latitude'), longitude: l.finite('longitude') };
}

function readPoll(r: FieldReader, at: string, max: number): Poll | null {
  const v = r.raw('poll');
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return r.invalid('poll', 'not an object');
  const p = new FieldReader(v, `${at}.poll`);
  const answers = p.raw('answers') ?? [];
  if (!Array.isArray(answers)) return p.invalid('answers', 'not a list');
  return {
    question: p.string('question', max) ?? '',
    closed: p.boolean('closed'),
    totalVoters: p.count('total_voters'),
    answers: answers.map((answer, i) => {
      if (!isObject(answer)) return p.invalid(`answers[${i}]`, 'not an object');
      const a = new FieldReader(answer, `${at}.poll.answers[${i}]`);
      return { text: a.string('text', max) ?? '', voters: a.count('voters'), chosen: a.boolean('chosen') };
    }),
  };
}

function readReactions(r: FieldReader, at: string): Reaction[] {
  const v = r.raw('reactions');
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return r.invalid('reactions', 'not a list');
  return v.map((reaction, i) => {
    if (!isObject(reaction)) return r.invalid(`reactions[${i}]`, 'not an object');
    const x = new FieldReader(reaction, `${at}.reactions[${i}]`);
    const type = x.string('type', 64) ?? 'emoji';
    const count = x.count('count');
    const emoji = x.string('emoji', 64);
    const extra = x.rest();
    return { type, count, emoji, ...(Object.keys(extra).length === 0 ? {} : { extra }) };
  });
}

function readAction(r: FieldReader, at: string): ServiceAction {
  const type = r.string('action', 128) ?? 'unknown';
  const members = r.raw('members');
  let names: (string | null)[] | null = null;
  if (members !== undefined && members !== null) {
    if (!Array.isArray(members)) return r.invalid('members', 'not a list');
    names = members.map((m, i) => {
      if (m !== null && typeof m !== 'string') return r.invalid(`members[${i}]`, 'not a name');
      if (typeof m === 'string' && m.length > maxNameLength)
        throw new ClearingError('TELEGRAM_VALUE_TOO_LONG', { params: { limit: maxNameLength, field: `${at}.members` } });
      return m;
    });
  }
  return {
    type,
    actor: r.string('actor'),
    actorId: r.string('actor_id', 256),
    title: r.string('title'),
    members: names,
    messageId: r.integer('message_id'),
    durationSeconds: r.count('duration_seconds'),
    discardReason: r.string('discard_reason', 256),
    inviter: r.string('inviter'),
    photo: r.media('photo'),
  };
}

/**
 * One element of a chat's `messages`, already parsed, into a ChatMessage.
 * Throws TELEGRAM_FIELD_INVALID / TELEGRAM_VALUE_TOO_LONG /
 * TELEGRAM_MEDIA_PATH_UNSAFE; problems with exported files go on the message.
 */
export function readMessage(value: unknown, source: string, context: MessageContext): ChatMessage {
  const base = `${context.chatKey}.messages`;
  if (!isObject(value)) throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field: base }, detail: 'a message is not an object' });
  const rawId = value.id;
  if (typeof rawId !== 'number' || !Number.isSafeInteger(rawId)) {
    throw new ClearingError('TELEGRAM_FIELD_INVALID', { params: { field: `${base}.id` }, detail: 'not a safe integer' });
  }
  const id = rawId;
  const r = new FieldReader(value, `${base}[id ${id}]`);
  r.raw('id');
  const at = `${base}[id ${id}]`;
  const type = r.string('type', 64) ?? r.invalid('type', 'missing');
  const max = context.maxTextLength;
  const problems: ImportProblem[] = [];
  const date = readTime(r, 'date', 'date_unixtime') ?? { local: null, unixtime: null, utc: null, utcOffsetMinutes: null };
  const edited = readTime(r, 'edited', 'edited_unixtime');
  const { text, entities } = readText(r, at, max);
  const isService = type === 'service';
  const action = isService ? readAction(r, at) : null;
  return {
    chatKey: context.chatKey,
    chatId: context.chatId,
    id,
    type,
    date,
    edited,
    from: r.string('from'),
    fromId: r.string('from_id', 256),
    replyToMessageId: r.integer('reply_to_message_id'),
    forwardedFrom: r.string('forwarded_from'),
    forwardedFromId: r.string('forwarded_from_id', 256),
    savedFrom: r.string('saved_from'),
    author: r.string('author'),
    viaBot: r.string('via_bot'),
    text,
    entities,
    media: isService ? null : readMedia(r, problems, context),
    contact: readContact(r, at),
    location: readLocation(r, at),
    poll: readPoll(r, at, max),
    reactions: readReactions(r, at),
    action,
    extra: r.rest(),
    source,
    problems,
  };
}
