/**
 * Deterministic, pseudo-random Telegram Desktop exports for tests and
 * benchmarks: Russian and English text with entities, replies, forwards,
 * edits, deleted accounts, service messages, media references (some not
 * exported), unknown fields. Written as a stream of chunks, so a million
 * messages (about 400 MB) never sit in memory. The same options give the same
 * bytes.
 */
export interface GenerateOptions {
  /** Messages in all (spread over the chats of an account export). */
  readonly messages: number;
  readonly seed?: number;
  /** A whole-account export with this many chats (message ids restart in each, so they repeat); a one-chat export when absent. */
  readonly chats?: number;
  /** Bytes per chunk, roughly. Default 64 KiB. */
  readonly chunkBytes?: number;
}

/** A small, fast generator (mulberry32): good enough to vary test data, not for anything secret. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const russian = [
  'Привет, как дела?',
  'Повестку принесли вчера вечером, я не открывал дверь.',
  'Завтра в 9 утра сбор у военкомата',
  'Нужна консультация юриста по статье 337',
  'Билеты купил, выезжаю через Верхний Ларс',
  'Отправил фото военного билета',
  'Спасибо, получил',
  'Можно созвониться сегодня?',
  'Часть 12345, в/ч под Белгородом',
  'Мама говорит, приходили из полиции ещё раз',
];
const english = [
  'Hello, are you there?',
  'The documents are attached.',
  'We can talk at 6 pm',
  'Please check the scan of the passport',
  'Arrived safely, thank you!',
  'The lawyer will call you tomorrow',
];
const names = ['Иван Петров', 'Мария', 'Alex K', 'Сергей', 'Ольга Смирнова', 'Coordinator'];
const placeholders = [
  '(File not included. Change data exporting settings to download.)',
  '(File exceeds maximum size. Change data exporting settings to download.)',
];
const actions = ['phone_call', 'pin_message', 'invite_members', 'remove_members', 'join_group_by_link', 'edit_group_title', 'group_call', 'create_group'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The exporting computer's local time, written without a zone (here UTC+3, as in Moscow). */
function localTime(unixtime: number): string {
  const d = new Date((unixtime + 3 * 3600) * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function message(next: () => number, id: number, unixtime: number): Record<string, unknown> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const base: Record<string, unknown> = { id };
  const r = next();
  if (r < 0.06) {
    const action = pick(actions);
    Object.assign(base, {
      type: 'service',
      date: localTime(unixtime),
      date_unixtime: String(unixtime),
      actor: pick(names),
      actor_id: `user${100000 + Math.floor(next() * 900000)}`,
      action,
    });
    if (action === 'phone_call') Object.assign(base, { duration_seconds: Math.floor(next() * 900), discard_reason: pick(['hangup', 'missed', 'busy']) });
    if (action === 'pin_message') base.message_id = Math.max(1, id - 1 - Math.floor(next() * 20));
    if (action === 'invite_members' || action === 'remove_members' || action === 'create_group') base.members = [pick(names), null];
    if (action === 'edit_group_title' || action === 'create_group') base.title = 'Группа поддержки';
    if (action === 'join_group_by_link') base.inviter = pick(names);
    base.text = '';
    base.text_entities = [];
    return base;
  }
  Object.assign(base, { type: 'message', date: localTime(unixtime), date_unixtime: String(unixtime) });
  if (next() < 0.1) Object.assign(base, { edited: localTime(unixtime + 120), edited_unixtime: String(unixtime + 120) });
  const deleted = next() < 0.03;
  base.from = deleted ? null : pick(names);
  base.from_id = `user${100000 + Math.floor(next() * 900000)}`;
  if (id > 1 && next() < 0.2) base.reply_to_message_id = Math.max(1, id - 1 - Math.floor(next() * 30));
  if (next() < 0.05) Object.assign(base, { forwarded_from: 'Новости Канал', forwarded_from_id: `channel${1000 + Math.floor(next() * 9000)}` });
  const plain = next() < 0.7 ? pick(russian) : pick(english);
  const kind = next();
  if (kind < 0.15) {
    const pieces = [
      { type: 'plain', text: `${plain} ` },
      { type: 'link', text: 'https://example.org/d/42' },
      { type: 'plain', text: ' и ' },
      { type: 'bold', text: 'важно' },
      { type: 'mention_name', text: 'Мария', user_id: 555000111 },
      { type: 'text_link', text: 'тут', href: 'https://example.org/t' },
    ];
    base.text = pieces.map((p) => (p.type === 'plain' ? p.text : p));
    base.text_entities = pieces;
  } else {
    base.text = plain;
    base.text_entities = [{ type: 'plain', text: plain }];
  }
  const m = next();
  if (m < 0.08) {
    Object.assign(base, {
      photo: next() < 0.9 ? `photos/photo_${id}@${localTime(unixtime).replace(/:/g, '-')}.jpg` : pick(placeholders),
      width: 1280,
      height: 960,
    });
  } else if (m < 0.12) {
    const media = pick(['video_file', 'voice_message', 'sticker', 'audio_file']);
    const folder = media === 'voice_message' ? 'voice_messages' : media === 'sticker' ? 'stickers' : media === 'video_file' ? 'video_files' : 'files';
    const ext = media === 'voice_message' ? 'ogg' : media === 'sticker' ? 'webp' : media === 'video_file' ? 'mp4' : 'mp3';
    Object.assign(base, {
      file: next() < 0.85 ? `${folder}/file_${id}.${ext}` : pick(placeholders),
      media_type: media,
      mime_type: media === 'voice_message' ? 'audio/ogg' : media === 'sticker' ? 'image/webp' : media === 'video_file' ? 'video/mp4' : 'audio/mpeg',
    });
    if (media !== 'sticker') base.duration_seconds = Math.floor(next() * 300);
    if (media === 'sticker') base.sticker_emoji = '👍';
  }
  if (next() < 0.02) base.inline_bot_buttons = [[{ type: 'url', text: 'Открыть', data: 'https://example.org/b' }]];
  if (next() < 0.03) base.reactions = [{ type: 'emoji', count: 2, emoji: '❤' }];
  return base;
}

/** JSON in Telegram Desktop's layout: one space per level. */
function indented(value: unknown, level: number): string {
  const pad = ' '.repeat(level);
  return JSON.stringify(value, null, 1).replace(/\n/g, `\n${pad}`);
}

/** One chat, its first line indented by `at` spaces (0 for a one-chat export, 3 inside `chats.list`). */
function* chatParts(next: () => number, chatId: number, name: string, count: number, start: number, at: number): Generator<string> {
  const p = ' '.repeat(at);
  yield `${p}{\n${p} "name": ${JSON.stringify(name)},\n${p} "type": "personal_chat",\n${p} "id": ${chatId},\n${p} "messages": [`;
  let unixtime = start;
  const inner = `${p}  `;
  for (let id = 1; id <= count; id++) {
    unixtime += 1 + Math.floor(next() * 600);
    yield `${id === 1 ? '\n' : ',\n'}${inner}${indented(message(next, id, unixtime), at + 2)}`;
  }
  yield `${count > 0 ? `\n${p} ` : ''}]\n${p}}`;
}

/** The export as a stream of UTF-8 chunks. */
export function* generateTelegramExport(options: GenerateOptions): Generator<Uint8Array, void, undefined> {
  const next = random(options.seed ?? 1);
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const encoder = new TextEncoder();
  let buffer: string[] = [];
  let length = 0;
  const start = 1_600_000_000;
  function* parts(): Generator<string> {
    if (options.chats === undefined) {
      // A one-chat export: the chat's fields at the top level.
      yield* chatParts(next, 4_000_000_001, 'Иван Петров', options.messages, start, 0);
      return;
    }
    const chats = Math.max(1, options.chats);
    yield '{\n "about": "Here is the data you requested.",\n "personal_information": {\n  "user_id": 12345,\n  "first_name": "Анна",\n  "phone_number": "+7 900 000 00 00"\n },\n';
    yield ' "contacts": {\n  "about": "contacts",\n  "list": [\n   {"first_name": "Иван", "last_name": "", "phone_number": "+7 900 111 22 33", "date": "2022-01-01T10:00:00"}\n  ]\n },\n';
    yield ' "chats": {\n  "about": "chats",\n  "list": [\n';
    const left = chats > 1 ? 1 : 0;
    for (let c = 0; c < chats; c++) {
      const count = Math.floor(options.messages / chats) + (c < options.messages % chats ? 1 : 0);
      if (c === chats - left) yield '\n  ]\n },\n "left_chats": {\n  "about": "left",\n  "list": [\n';
      else if (c > 0) yield ',\n';
      yield* chatParts(next, 1000 + c, names[c % names.length]!, count, start + c * 1000, 3);
    }
    yield '\n  ]\n }\n}';
  }
  for (const part of parts()) {
    buffer.push(part);
    length += part.length;
    if (length >= chunkBytes) {
      yield encoder.encode(buffer.join(''));
      buffer = [];
      length = 0;
    }
  }
  if (length > 0) yield encoder.encode(buffer.join(''));
}
