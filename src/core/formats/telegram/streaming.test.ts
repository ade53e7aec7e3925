import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateTelegramExport, readTelegramExport, type TelegramEvent, TelegramExportParser } from './index.js';

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const list = [...chunks];
  const out = new Uint8Array(list.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of list) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function parseIn(bytes: Uint8Array, sizes: (index: number) => number): { events: TelegramEvent[]; summary: unknown } {
  const parser = new TelegramExportParser();
  const events: TelegramEvent[] = [];
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes(i));
    events.push(...parser.write(bytes.subarray(at, at + size)));
    at += size;
  }
  return { events, summary: parser.end() };
}

describe('chunking does not matter', () => {
  // Cyrillic, emoji (surrogate pairs, 4-byte UTF-8), escapes: every kind of split point.
  const handWritten = new TextEncoder().encode(
    JSON.stringify({
      name: 'Иван 🙂',
      type: 'personal_chat',
      id: 77,
      messages: [
        {
          id: 1,
          type: 'message',
          date: '2023-01-01T03:00:00',
          date_unixtime: '1672531200',
          from: 'Ёж "в кавычках"',
          text: ['Смотри 👉 ', { type: 'bold', text: 'жирный\n\t\\' }],
        },
        { id: 2, type: 'service', actor: null, action: 'phone_call', duration_seconds: 5, discard_reason: 'hangup', text: '' },
        // Brackets and escaped quotes inside strings, split anywhere, must not be taken for structure.
        { id: 4, type: 'message', text: 'кавычка "}] и {[ внутри \\"}]', from: '\\\\' },
        { id: 3, type: 'message', photo: 'photos/фото 1.jpg', width: 1, height: 2, unknown: [1.5e-7, -0, true, null, { 'ключ\u2028': 'значение' }] },
      ],
    }),
  );
  const account = concat(generateTelegramExport({ messages: 300, chats: 4, seed: 11 }));

  for (const [name, bytes] of [
    ['a hand-written export', handWritten],
    ['a generated account export', account],
  ] as const) {
    it(`${name}: 1-byte, 7-byte and whole-file pieces give the same events`, () => {
      const whole = parseIn(bytes, () => bytes.length);
      expect(whole.events.length).toBeGreaterThan(3);
      expect(parseIn(bytes, () => 1)).toEqual(whole);
      expect(parseIn(bytes, () => 7)).toEqual(whole);
    });
  }

  it('random piece sizes give the same events', () => {
    const whole = parseIn(account, () => account.length);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        expect(parseIn(account, (i) => sizes[i % sizes.length]!)).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });

  it('readTelegramExport over any iterable gives the same as the parser', async () => {
    const whole = parseIn(account, () => account.length);
    const events: TelegramEvent[] = [];
    const reader = readTelegramExport(generateTelegramExport({ messages: 300, chats: 4, seed: 11, chunkBytes: 333 }));
    let result = await reader.next();
    while (!result.done) {
      events.push(result.value);
      result = await reader.next();
    }
    expect(events).toEqual(whole.events);
    expect(result.value).toEqual(whole.summary);
  });
});

describe('the generator', () => {
  it('is deterministic, valid JSON, and varied', () => {
    const a = concat(generateTelegramExport({ messages: 2000, seed: 5, chunkBytes: 1000 }));
    const b = concat(generateTelegramExport({ messages: 2000, seed: 5, chunkBytes: 77_777 }));
    expect(createHash('sha256').update(a).digest('hex')).toBe(createHash('sha256').update(b).digest('hex'));
    expect(concat(generateTelegramExport({ messages: 2000, seed: 6 }))).not.toEqual(a);
    const parsed = JSON.parse(new TextDecoder().decode(a)) as { messages: Record<string, unknown>[] };
    expect(parsed.messages).toHaveLength(2000);
    const has = (p: (m: Record<string, unknown>) => boolean) => parsed.messages.some(p);
    expect(has((m) => m.type === 'service')).toBe(true);
    expect(has((m) => typeof m.reply_to_message_id === 'number')).toBe(true);
    expect(has((m) => typeof m.forwarded_from === 'string')).toBe(true);
    expect(has((m) => typeof m.edited === 'string')).toBe(true);
    expect(has((m) => m.from === null)).toBe(true);
    expect(has((m) => typeof m.photo === 'string' && !m.photo.startsWith('('))).toBe(true);
    expect(has((m) => typeof m.photo === 'string' && m.photo.startsWith('('))).toBe(true);
    expect(has((m) => m.media_type === 'voice_message')).toBe(true);
    expect(has((m) => Array.isArray(m.text))).toBe(true);
    expect(has((m) => typeof m.text === 'string' && /[а-я]/.test(m.text))).toBe(true);
    expect(has((m) => typeof m.text === 'string' && /^[A-Za-z]/.test(m.text))).toBe(true);
    expect(has((m) => 'inline_bot_buttons' in m)).toBe(true);
  });

  it('an account export with several chats whose message ids overlap', () => {
    const parsed = JSON.parse(new TextDecoder().decode(concat(generateTelegramExport({ messages: 100, chats: 3 })))) as {
      chats: { list: { id: number; messages: { id: number }[] }[] };
      left_chats: { list: { id: number; messages: { id: number }[] }[] };
    };
    const chats = [...parsed.chats.list, ...parsed.left_chats.list];
    expect(chats).toHaveLength(3);
    expect(chats.reduce((n, c) => n + c.messages.length, 0)).toBe(100);
    expect(chats.every((c) => c.messages[0]!.id === 1)).toBe(true);
  });
});
