import { describe, expect, it } from 'vitest';
import { type ChatMessage, type TelegramEvent, TelegramExportParser, type TelegramParseOptions } from './index.js';

const encoder = new TextEncoder();

function parse(json: string, options: TelegramParseOptions = {}) {
  const parser = new TelegramExportParser(options);
  const events = parser.write(encoder.encode(json));
  const summary = parser.end();
  return { events, summary, messages: events.flatMap((e) => (e.kind === 'message' ? [e.message] : [])) };
}

function oneChat(messages: unknown[], head: Record<string, unknown> = { name: 'Иван', type: 'personal_chat', id: 4812000 }): string {
  return JSON.stringify({ ...head, messages }, null, 1);
}

function only(message: Record<string, unknown>): ChatMessage {
  const { messages } = parse(oneChat([{ id: 1, type: 'message', date: '2023-06-14T22:07:51', ...message }]));
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

describe('a one-chat export', () => {
  it('yields the header, each message normalized, the chat end and a summary', () => {
    const json = oneChat([
      {
        id: 4812,
        type: 'message',
        date: '2023-06-14T22:07:51',
        date_unixtime: '1686780471',
        edited: '2023-06-14T22:09:02',
        edited_unixtime: '1686780542',
        from: 'Ivan',
        from_id: 'user100200300',
        reply_to_message_id: 4809,
        forwarded_from: 'Some Channel',
        text: ['Order came today, see ', { type: 'link', text: 'https://example.org/x' }, '.'],
        text_entities: [
          { type: 'plain', text: 'Order came today, see ' },
          { type: 'link', text: 'https://example.org/x' },
          { type: 'plain', text: '.' },
        ],
        photo: 'photos/photo_12@14-06-2023_22-07-51.jpg',
        width: 1280,
        height: 960,
      },
    ]);
    const { events, summary } = parse(json);
    expect(events.map((e) => e.kind)).toEqual(['chat', 'message', 'chat-end']);
    const chat = (events[0] as Extract<TelegramEvent, { kind: 'chat' }>).chat;
    expect(chat).toEqual({ chatKey: 'chat', section: 'chat', id: 4812000, name: 'Иван', type: 'personal_chat', selected: true, extra: {} });
    const m = (events[1] as Extract<TelegramEvent, { kind: 'message' }>).message;
    expect(m).toMatchObject({
      chatKey: 'chat',
      chatId: 4812000,
      id: 4812,
      type: 'message',
      date: { local: '2023-06-14T22:07:51', unixtime: 1686780471, utc: '2023-06-14T22:07:51Z', utcOffsetMinutes: 0 },
      edited: { local: '2023-06-14T22:09:02', unixtime: 1686780542, utc: '2023-06-14T22:09:02Z', utcOffsetMinutes: 0 },
      from: 'Ivan',
      fromId: 'user100200300',
      replyToMessageId: 4809,
      forwardedFrom: 'Some Channel',
      text: 'Order came today, see https://example.org/x.',
      entities: [
        { type: 'plain', text: 'Order came today, see ' },
        { type: 'link', text: 'https://example.org/x' },
        { type: 'plain', text: '.' },
      ],
      media: { kind: 'photo', file: { exported: true, path: 'photos/photo_12@14-06-2023_22-07-51.jpg' }, width: 1280, height: 960, fileSize: null },
      extra: {},
      problems: [],
    });
    expect(events[2]).toEqual({ kind: 'chat-end', chat, messages: 1 });
    expect(summary).toMatchObject({ shape: 'chat', chats: 1, selectedChats: 1, messages: 1, skippedSections: [], utcOffsetMinutes: 0 });
  });

  it('keeps the exact source text of each message', () => {
    const json = oneChat([
      { id: 1, type: 'message', date: '2023-01-01T00:00:00', text: 'один' },
      { id: 2, type: 'message', date: '2023-01-01T00:00:01', text: 'два "в кавычках" \\ \u2028' },
    ]);
    const { messages } = parse(json);
    for (const m of messages) {
      expect(json).toContain(m.source);
      expect(JSON.parse(m.source)).toEqual(JSON.parse(json).messages[m.id - 1]);
    }
  });

  it('takes a chat without messages, and a deleted account’s chat with a null name', () => {
    const { events } = parse(JSON.stringify({ name: null, type: 'personal_chat', id: 7, messages: [] }));
    expect(events.map((e) => e.kind)).toEqual(['chat', 'chat-end']);
    expect(events[0]).toMatchObject({ chat: { name: null, id: 7 } });
  });
});

describe('text', () => {
  it('as a plain string, with no text_entities (older exports)', () => {
    const m = only({ text: 'Привет' });
    expect(m.text).toBe('Привет');
    expect(m.entities).toEqual([{ type: 'plain', text: 'Привет' }]);
  });

  it('as an array mixing strings and entities, with no text_entities', () => {
    const m = only({
      text: ['Смотри ', { type: 'text_link', text: 'здесь', href: 'https://example.org/a' }, ' и ', { type: 'mention_name', text: 'Маша', user_id: 555 }],
    });
    expect(m.text).toBe('Смотри здесь и Маша');
    expect(m.entities).toEqual([
      { type: 'plain', text: 'Смотри ' },
      { type: 'text_link', text: 'здесь', href: 'https://example.org/a' },
      { type: 'plain', text: ' и ' },
      { type: 'mention_name', text: 'Маша', userId: 555 },
    ]);
  });

  it('from text_entities when present, every entity kind kept with its own fields', () => {
    const kinds = ['bold', 'italic', 'link', 'mention', 'phone', 'email', 'hashtag', 'code', 'spoiler', 'custom_emoji'];
    const entities = [
      ...kinds.map((type) => ({ type, text: `[${type}]` })),
      { type: 'pre', text: 'x = 1', language: 'python' },
      { type: 'blockquote', text: 'цитата', collapsed: true },
      { type: 'custom_emoji', text: '🙂', document_id: 'stickers/x.webp' },
    ];
    const m = only({ text: 'ignored when text_entities exist', text_entities: entities });
    expect(m.text).toBe(entities.map((e) => e.text).join(''));
    expect(m.entities.slice(0, kinds.length)).toEqual(kinds.map((type) => ({ type, text: `[${type}]` })));
    expect(m.entities.slice(kinds.length)).toEqual([
      { type: 'pre', text: 'x = 1', extra: { language: 'python' } },
      { type: 'blockquote', text: 'цитата', extra: { collapsed: true } },
      { type: 'custom_emoji', text: '🙂', extra: { document_id: 'stickers/x.webp' } },
    ]);
  });

  it('empty when absent', () => {
    expect(only({}).text).toBe('');
  });
});

describe('people and provenance', () => {
  it('null from for a deleted account; via_bot, author, saved_from, forwarded_from_id', () => {
    const m = only({
      from: null,
      from_id: 'user1',
      via_bot: '@somebot',
      author: 'Редактор',
      saved_from: 'Канал',
      forwarded_from: null,
      forwarded_from_id: 'channel77',
    });
    expect(m).toMatchObject({
      from: null,
      fromId: 'user1',
      viaBot: '@somebot',
      author: 'Редактор',
      savedFrom: 'Канал',
      forwardedFrom: null,
      forwardedFromId: 'channel77',
    });
  });
});

describe('dates', () => {
  it('keeps local time as written and derives the offset from the UTC seconds', () => {
    const m = only({ date: '2023-06-15T01:07:51', date_unixtime: '1686780471' });
    expect(m.date).toEqual({ local: '2023-06-15T01:07:51', unixtime: 1686780471, utc: '2023-06-14T22:07:51Z', utcOffsetMinutes: 180 });
  });

  it('never presents local time as UTC when the export has no UTC seconds', () => {
    const m = only({ date: '2023-06-15T01:07:51', edited: '2023-06-15T01:09:00' });
    expect(m.date).toEqual({ local: '2023-06-15T01:07:51', unixtime: null, utc: null, utcOffsetMinutes: null });
    expect(m.edited).toEqual({ local: '2023-06-15T01:09:00', unixtime: null, utc: null, utcOffsetMinutes: null });
  });

  it('the summary names the most common offset and lists each one (a summer-time change)', () => {
    const { summary } = parse(
      oneChat([
        { id: 1, type: 'message', date: '2023-03-26T01:00:00', date_unixtime: String(Date.UTC(2023, 2, 26, 0) / 1000) },
        { id: 2, type: 'message', date: '2023-03-26T04:00:00', date_unixtime: String(Date.UTC(2023, 2, 26, 2) / 1000) },
        { id: 3, type: 'message', date: '2023-03-26T05:00:00', date_unixtime: String(Date.UTC(2023, 2, 26, 3) / 1000) },
      ]),
    );
    expect(summary.utcOffsetMinutes).toBe(120);
    expect(summary.utcOffsets).toEqual([
      { minutes: 120, messages: 2 },
      { minutes: 60, messages: 1 },
    ]);
  });
});

describe('service messages', () => {
  const service = (fields: Record<string, unknown>) => only({ type: 'service', actor: 'Ольга', actor_id: 'user9', text: '', text_entities: [], ...fields });

  it.each([
    [
      { action: 'phone_call', duration_seconds: 74, discard_reason: 'hangup' },
      { durationSeconds: 74, discardReason: 'hangup' },
    ],
    [
      { action: 'phone_call', discard_reason: 'missed' },
      { durationSeconds: null, discardReason: 'missed' },
    ],
    [{ action: 'group_call', duration_seconds: 600 }, { durationSeconds: 600 }],
    [{ action: 'invite_members', members: ['Иван', null] }, { members: ['Иван', null] }],
    [{ action: 'remove_members', members: ['Иван'] }, { members: ['Иван'] }],
    [{ action: 'join_group_by_link', inviter: 'Admin' }, { inviter: 'Admin' }],
    [{ action: 'pin_message', message_id: 4809 }, { messageId: 4809 }],
    [{ action: 'edit_group_title', title: 'Новое название' }, { title: 'Новое название' }],
    [
      { action: 'create_group', title: 'Группа', members: ['A', 'B'] },
      { title: 'Группа', members: ['A', 'B'] },
    ],
    [{ action: 'migrate_to_supergroup' }, {}],
    [{ action: 'edit_group_photo', photo: 'photos/photo_1.jpg' }, { photo: { exported: true, path: 'photos/photo_1.jpg' } }],
  ])('%o', (fields, expected) => {
    const m = service(fields);
    expect(m.type).toBe('service');
    expect(m.media).toBeNull();
    expect(m.action).toMatchObject({ type: fields.action, actor: 'Ольга', actorId: 'user9', ...expected });
    expect(m.extra).toEqual({});
  });

  it('an action not known keeps its fields', () => {
    const m = service({ action: 'gift_premium', months: 3, cost: '€9.99' });
    expect(m.action?.type).toBe('gift_premium');
    expect(m.extra).toEqual({ months: 3, cost: '€9.99' });
  });
});

describe('media', () => {
  it.each([
    ['video_file', 'video_files/v.mp4', 'video/mp4'],
    ['voice_message', 'voice_messages/audio_1.ogg', 'audio/ogg'],
    ['audio_file', 'files/song.mp3', 'audio/mpeg'],
    ['video_message', 'round_video_messages/r.mp4', 'video/mp4'],
    ['animation', 'video_files/a.mp4', 'video/mp4'],
  ])('%s', (mediaType, file, mimeType) => {
    const m = only({ file, media_type: mediaType, mime_type: mimeType, duration_seconds: 12, width: 640, height: 480, thumbnail: `${file}_thumb.jpg` });
    expect(m.media).toEqual({
      kind: 'file',
      file: { exported: true, path: file },
      mediaType,
      mimeType,
      durationSeconds: 12,
      width: 640,
      height: 480,
      thumbnail: { exported: true, path: `${file}_thumb.jpg` },
      fileName: null,
      stickerEmoji: null,
      fileSize: null,
    });
  });

  it('a sticker with its emoji, a document with its name', () => {
    expect(only({ file: 'stickers/s.webp', media_type: 'sticker', sticker_emoji: '👍', mime_type: 'image/webp' }).media).toMatchObject({
      mediaType: 'sticker',
      stickerEmoji: '👍',
    });
    expect(only({ file: 'files/Повестка.pdf', file_name: 'Повестка.pdf', mime_type: 'application/pdf', file_size: 1234 }).media).toMatchObject({
      mediaType: null,
      fileName: 'Повестка.pdf',
      mimeType: 'application/pdf',
      fileSize: 1234,
    });
  });

  it('placeholders say "not exported", never a path', () => {
    const photo = only({ photo: '(File not included. Change data exporting settings to download.)', width: 1, height: 1 });
    expect(photo.media).toMatchObject({ kind: 'photo', file: { exported: false, reason: 'excluded' } });
    const big = only({
      file: '(File exceeds maximum size. Change data exporting settings to download.)',
      media_type: 'video_file',
      thumbnail: '(File not included. Change data exporting settings to download.)',
    });
    expect(big.media).toMatchObject({ file: { exported: false, reason: 'too-large' }, thumbnail: { exported: false, reason: 'excluded' } });
    expect(only({ file: '(File unavailable, please try again later)' }).media).toMatchObject({ file: { exported: false, reason: 'unavailable' } });
    expect(only({ file: '(Something new)' }).media).toMatchObject({ file: { exported: false, reason: 'other', note: '(Something new)' } });
  });

  it('contact, location, poll, reactions', () => {
    const m = only({
      contact_information: { first_name: 'Анна', last_name: 'К', phone_number: '+7 900 000 00 00' },
      contact_vcard: 'contacts/contact_1.vcard',
      location_information: { latitude: 55.75, longitude: 37.61 },
      poll: {
        question: 'Когда?',
        closed: true,
        total_voters: 3,
        answers: [
          { text: 'Завтра', voters: 2, chosen: true },
          { text: 'Никогда', voters: 1, chosen: false },
        ],
      },
      reactions: [{ type: 'emoji', count: 2, emoji: '❤', recent: [{ from: 'A', from_id: 'user1', date: '2023-01-01T00:00:00' }] }],
    });
    expect(m.contact).toEqual({
      firstName: 'Анна',
      lastName: 'К',
      phoneNumber: '+7 900 000 00 00',
      vcard: { exported: true, path: 'contacts/contact_1.vcard' },
    });
    expect(m.location).toEqual({ latitude: 55.75, longitude: 37.61 });
    expect(m.poll).toEqual({
      question: 'Когда?',
      closed: true,
      totalVoters: 3,
      answers: [
        { text: 'Завтра', voters: 2, chosen: true },
        { text: 'Никогда', voters: 1, chosen: false },
      ],
    });
    expect(m.reactions).toEqual([{ type: 'emoji', count: 2, emoji: '❤', extra: { recent: [{ from: 'A', from_id: 'user1', date: '2023-01-01T00:00:00' }] } }]);
  });
});

describe('unknown fields', () => {
  it('are kept value for value, including odd keys; the source keeps what JSON numbers cannot', () => {
    const json = `{"name":"x","type":"personal_chat","id":1,"messages":[{"id":1,"type":"message","date":"2023-01-01T00:00:00","text":"",
      "inline_bot_buttons":[[{"type":"url","text":"Открыть","data":"https://example.org"}]],
      "self_destruct_period_seconds":30,"__proto__":{"polluted":true},"future_field":{"nested":[1,2.5,null,true,"s"]},
      "huge":123456789012345678901234567890}]}`;
    const { messages } = parse(json);
    const m = messages[0]!;
    expect(Object.keys(m.extra)).toEqual(['inline_bot_buttons', 'self_destruct_period_seconds', '__proto__', 'future_field', 'huge']);
    expect(m.extra.inline_bot_buttons).toEqual([[{ type: 'url', text: 'Открыть', data: 'https://example.org' }]]);
    expect(m.extra.future_field).toEqual({ nested: [1, 2.5, null, true, 's'] });
    expect(Object.getOwnPropertyDescriptor(m.extra, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(m.source).toContain('"huge":123456789012345678901234567890');
  });

  it('on a chat, including those written after its messages, come with the chat end', () => {
    const { events } = parse('{"name":"x","type":"private_group","id":5,"color":3,"messages":[],"trailing":{"a":1}}');
    expect(events[0]).toMatchObject({ kind: 'chat', chat: { extra: { color: 3 } } });
    expect(events[1]).toMatchObject({ kind: 'chat-end', chat: { extra: { color: 3, trailing: { a: 1 } } } });
  });
});

describe('a whole-account export', () => {
  const chat = (id: number, name: string, ids: number[]) => ({
    name,
    type: 'personal_chat',
    id,
    messages: ids.map((m) => ({ id: m, type: 'message', date: '2023-01-01T00:00:00', from: name, text: `${name} ${m}` })),
  });
  const account = {
    about: 'Here is the data you requested.',
    personal_information: { user_id: 1, first_name: 'Анна', phone_number: '+7' },
    contacts: { about: 'c', list: [{ first_name: 'Иван', phone_number: '+7 900' }] },
    frequent_contacts: { about: 'f', list: [] },
    chats: { about: 'chats', list: [chat(100, 'A', [1, 2]), chat(200, 'B', [1, 2, 3])] },
    left_chats: { about: 'left', list: [chat(300, 'C', [1])] },
    other_data: { about: 'o', changes_log: [] },
  };

  it('yields every chat, keeps repeated message ids apart, and skips the other sections', () => {
    const { events, summary, messages } = parse(JSON.stringify(account));
    expect(events.filter((e) => e.kind === 'chat').map((e) => (e.kind === 'chat' ? [e.chat.chatKey, e.chat.id, e.chat.section] : null))).toEqual([
      ['chats.0', 100, 'chats'],
      ['chats.1', 200, 'chats'],
      ['left_chats.0', 300, 'left_chats'],
    ]);
    expect(messages.map((m) => `${m.chatKey}/${m.chatId}/${m.id}`)).toEqual([
      'chats.0/100/1',
      'chats.0/100/2',
      'chats.1/200/1',
      'chats.1/200/2',
      'chats.1/200/3',
      'left_chats.0/300/1',
    ]);
    expect(new Set(messages.map((m) => `${m.chatKey}/${m.id}`)).size).toBe(messages.length);
    expect(summary).toMatchObject({ shape: 'account', chats: 3, selectedChats: 3, messages: 6 });
    expect(summary.skippedSections).toEqual(['personal_information', 'contacts', 'frequent_contacts', 'other_data']);
  });

  it('reads only the chats asked for', () => {
    const { events, messages, summary } = parse(JSON.stringify(account), { chats: [200] });
    expect(messages.map((m) => `${m.chatId}/${m.id}`)).toEqual(['200/1', '200/2', '200/3']);
    expect(events.filter((e) => e.kind === 'chat').map((e) => (e.kind === 'chat' ? e.chat.selected : null))).toEqual([false, true, false]);
    expect(events.filter((e) => e.kind === 'chat-end').map((e) => (e.kind === 'chat-end' ? e.messages : null))).toEqual([0, 3, 0]);
    expect(summary).toMatchObject({ chats: 3, selectedChats: 1, messages: 3 });
  });

  it('with any section missing', () => {
    expect(parse(JSON.stringify({ left_chats: account.left_chats })).messages).toHaveLength(1);
    expect(parse(JSON.stringify({ chats: account.chats })).messages).toHaveLength(5);
    const contactsOnly = parse(JSON.stringify({ about: 'x', contacts: account.contacts }));
    expect(contactsOnly.events).toEqual([]);
    expect(contactsOnly.summary).toMatchObject({ shape: 'account', chats: 0, messages: 0 });
    expect(parse(JSON.stringify({ chats: { about: 'no list' } })).summary.chats).toBe(0);
  });
});
