import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceErrorCodes, isClearingError } from '../../errors/index.js';
import { generateTelegramExport, TelegramExportParser, type TelegramEvent, type TelegramParseOptions } from './index.js';

const encoder = new TextEncoder();
const telegramCodes = new Set<string>(evidenceErrorCodes.filter((code) => code.startsWith('TELEGRAM_')));

/** Feeds `input` in pieces and returns the code it was refused with (or null), with every event it got before. */
function refusal(input: string | Uint8Array, options: TelegramParseOptions = {}, piece = 4096): { code: string | null; events: TelegramEvent[] } {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  const parser = new TelegramExportParser(options);
  const events: TelegramEvent[] = [];
  try {
    for (let at = 0; at < bytes.length; at += piece) events.push(...parser.write(bytes.subarray(at, at + piece)));
    parser.end();
    return { code: null, events };
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return { code: error.code, events };
  }
}

const codeOf = (input: string | Uint8Array, options?: TelegramParseOptions) => refusal(input, options).code;
const chat = (messages: string) => `{"name":"x","type":"personal_chat","id":1,"messages":[${messages}]}`;
const msg = (fields: string) => chat(`{"id":1,"type":"message","date":"2023-01-01T00:00:00","text":""${fields ? `,${fields}` : ''}}`);

describe('hostile or broken input is refused with its own code', () => {
  it('malformed JSON, inside messages (read by JSON.parse) and outside (read by the scanner)', () => {
    for (const bad of [
      '{"messages":[{"t":[1,]}]}',
      '{"messages":[{"t":{"a"}}]}',
      '{"messages":[{"t":[}]}]}',
      '{"contacts":{"list":[01]},"chats":{"list":[]}}',
      '{"contacts":{"list":["\\q"]},"chats":{"list":[]}}',
      '{"name":"x",}',
      '{"name" "x"}',
      '{"messages":[{"id":1,}]}',
      '{"messages":[{"t":01}]}',
      '{"messages":[{"t":1.}]}',
      '{"messages":[{"t":-}]}',
      '{"messages":[{"t":tru}]}',
      '{"messages":[{"t":nul1}]}',
      '{"messages":[{"t":"a\\x"}]}',
      '{"messages":[{"t":"\\u12G4"}]}',
      '{"messages":[{"t":"tab\there"}]}',
      '{"messages":[}',
      '{"a":1}}',
      '{"a":1} {"b":2}',
      "{'a':1}",
      '{"a":[1 2]}',
    ]) {
      expect(codeOf(bad), bad).toBe('TELEGRAM_EXPORT_DAMAGED');
    }
  });

  it('bytes that are not UTF-8', () => {
    const bytes = encoder.encode(msg('"from":"AB"'));
    const at = bytes.indexOf(0x41);
    bytes[at] = 0xff;
    expect(codeOf(bytes)).toBe('TELEGRAM_EXPORT_DAMAGED');
  });

  it('a truncated file, cut anywhere', () => {
    const whole = msg('"from":"Иван","photo":"photos/a.jpg"');
    expect(codeOf(whole)).toBeNull();
    for (let cut = 0; cut < whole.length; cut++) {
      const code = codeOf(whole.slice(0, cut));
      expect(['TELEGRAM_EXPORT_TRUNCATED', 'TELEGRAM_NOT_AN_EXPORT'], `cut at ${cut}`).toContain(code);
    }
  });

  it('a top-level value that is not an export', () => {
    for (const bad of ['[]', '"result"', '42', 'null', '{}', '{"name":"x","type":"personal_chat","id":1}', '{"foo":{"messages":[]}}']) {
      expect(codeOf(bad), bad).toBe('TELEGRAM_NOT_AN_EXPORT');
    }
  });

  it('nesting deeper than the bound, in a message or in a skipped section', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    // The message sits at depth 3 (top object, messages, message): 60 more is fine, 62 is too deep for 64.
    expect(codeOf(msg(`"x":${deep(60)}`))).toBeNull();
    expect(codeOf(msg(`"x":${deep(62)}`))).toBe('TELEGRAM_EXPORT_TOO_DEEP');
    expect(codeOf(`{"contacts":{"list":${deep(100_000)}},"chats":{"list":[]}}`)).toBe('TELEGRAM_EXPORT_TOO_DEEP');
    expect(codeOf(msg(`"x":${deep(10)}`), { maxDepth: 8 })).toBe('TELEGRAM_EXPORT_TOO_DEEP');
  });

  it('strings longer than the bound, anywhere; numbers too long to be numbers', () => {
    const long = 'я'.repeat(1024 * 1024 + 1);
    expect(codeOf(msg(`"text":"${long}"`))).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(`{"contacts":{"list":["${long}"]},"chats":{"list":[]}}`)).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(msg(`"text":"${'a'.repeat(1000)}"`), { maxTextLength: 999 })).toBe('TELEGRAM_VALUE_TOO_LONG');
    // Text that is short piece by piece but long in all.
    expect(
      codeOf(
        msg(
          `"text_entities":[${Array(20)
            .fill(`{"type":"plain","text":"${'a'.repeat(100)}"}`)
            .join(',')}]`,
        ),
        { maxTextLength: 1000 },
      ),
    ).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(msg(`"from":"${'a'.repeat(4097)}"`))).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(msg(`"photo":"photos/${'a'.repeat(4100)}.jpg"`))).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(`{"name":"${'a'.repeat(5000)}","type":"personal_chat","id":1,"messages":[]}`)).toBe('TELEGRAM_VALUE_TOO_LONG');
    // Numbers: checked by the scanner where it reads the grammar itself; inside a message JSON.parse reads them, and ids must be safe integers.
    expect(codeOf(`{"contacts":{"list":[${'9'.repeat(65)}]},"chats":{"list":[]}}`)).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(chat(`{"id":${'9'.repeat(65)},"type":"message"}`))).toBe('TELEGRAM_FIELD_INVALID');
  });

  it('a chat whose unknown fields add up to more than the bound', () => {
    const field = (i: number) => `"f${i}":"${'c'.repeat(300_000)}"`;
    expect(codeOf(`{"name":"x","type":"personal_chat","id":1,${[0, 1, 2].map(field).join(',')},"messages":[]}`)).toBeNull();
    expect(codeOf(`{"name":"x","type":"personal_chat","id":1,${[0, 1, 2, 3].map(field).join(',')},"messages":[]}`)).toBe('TELEGRAM_VALUE_TOO_LONG');
    expect(codeOf(`{"chats":{"list":[{"id":1,"messages":[],${[0, 1, 2, 3].map(field).join(',')}}]}}`)).toBe('TELEGRAM_VALUE_TOO_LONG');
  });

  it('a message larger than the bound', () => {
    const many = Array(40)
      .fill(`"${'b'.repeat(1000)}"`)
      .join(',');
    expect(codeOf(msg(`"x":[${many}]`), { maxMessageLength: 30_000 })).toBe('TELEGRAM_MESSAGE_TOO_LARGE');
    expect(codeOf(msg(`"x":[${many}]`), { maxMessageLength: 50_000 })).toBeNull();
  });

  it('ids that are not safe integers, and other fields of the wrong type', () => {
    for (const id of ['1e20', '9007199254740993', '1.5', '"12"', 'null', '1e400']) {
      expect(codeOf(chat(`{"id":${id},"type":"message"}`)), id).toBe('TELEGRAM_FIELD_INVALID');
    }
    expect(codeOf(chat('{"type":"message"}'))).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf(chat('{"id":1}'))).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"name":"x","type":"personal_chat","id":1e20,"messages":[]}')).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"name":"x","type":"personal_chat","id":"1","messages":[]}')).toBe('TELEGRAM_FIELD_INVALID');
    for (const fields of [
      '"reply_to_message_id":1.5',
      '"reply_to_message_id":"3"',
      '"from":7',
      '"text":7',
      '"text_entities":{}',
      '"text_entities":[7]',
      '"text":[{"type":"bold","text":3}]',
      '"date_unixtime":"soon"',
      '"photo":"photos/a.jpg","width":-1',
      '"photo":["photos/a.jpg"]',
      '"location_information":{"latitude":"north","longitude":1}',
      '"reactions":{}',
      '"poll":{"answers":{}}',
      '"type":"service","action":"invite_members","members":"all"',
      '"text_entities":[{"type":"mention_name","text":"x","user_id":1e300}]',
    ]) {
      expect(codeOf(msg(fields)), fields).toBe('TELEGRAM_FIELD_INVALID');
    }
    expect(codeOf('{"name":"x","messages":{}}')).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"chats":[]}')).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"chats":{"list":{}}}')).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"chats":{"list":[1]}}')).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf(chat('"not a message"'))).toBe('TELEGRAM_FIELD_INVALID');
    expect(codeOf('{"name":"x","id":1,"messages":[],"messages":[]}')).toBe('TELEGRAM_FIELD_INVALID');
    // Choosing chats needs each chat's id before its messages.
    expect(codeOf('{"chats":{"list":[{"name":"x","messages":[],"id":1}]}}', { chats: [1] })).toBe('TELEGRAM_FIELD_INVALID');
  });

  it('media paths that would leave the export folder', () => {
    for (const path of [
      '/etc/passwd',
      '../../secret',
      'photos/../../secret',
      'photos/./a.jpg',
      'photos\\\\a.jpg',
      'photos/a\\u0000.jpg',
      'C:/Windows/win.ini',
      'c:photo.jpg',
      'file:///etc/passwd',
      'photos//a.jpg',
      'photos/a.jpg/',
      '',
    ]) {
      expect(codeOf(msg(`"photo":"${path}"`)), path).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
      expect(codeOf(msg(`"file":"${path}","media_type":"video_file"`)), path).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
      expect(codeOf(msg(`"file":"files/a.mp4","thumbnail":"${path}"`)), path).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
      expect(codeOf(msg(`"contact_vcard":"${path}"`)), path).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
    }
    expect(codeOf(msg('"photo":"photos/photo_1@14-06-2023_22-07-51.jpg"'))).toBeNull();
    expect(codeOf(msg('"file":"files/Повестка (копия).pdf"'))).toBeNull();
  });

  it('more messages than the cap', () => {
    const messages = Array.from({ length: 11 }, (_, i) => `{"id":${i + 1},"type":"message","text":""}`).join(',');
    expect(codeOf(chat(messages), { maxMessages: 10 })).toBe('TELEGRAM_TOO_MANY_MESSAGES');
    expect(codeOf(chat(messages), { maxMessages: 11 })).toBeNull();
  });

  it('after a refusal nothing more comes out, every later call throws the same error, and end() throws', () => {
    const parser = new TelegramExportParser();
    const good = parser.write(encoder.encode('{"name":"x","type":"personal_chat","id":1,"messages":[{"id":1,"type":"message","text":"a"},'));
    expect(good.map((e) => e.kind)).toEqual(['chat', 'message']);
    let first: unknown;
    try {
      parser.write(encoder.encode('{"id":2,"type":"message","text":"b"},{"id":3,"type":"message","photo":"../x"},{"id":4,"type":"message"}'));
    } catch (error) {
      first = error;
    }
    expect(isClearingError(first) && first.code).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
    expect(() => parser.write(encoder.encode(']}'))).toThrow(first as Error);
    expect(() => parser.end()).toThrow(first as Error);
  });
});

describe('fuzzing: only the parser’s own refusals, quickly, whatever comes in', () => {
  const valid = new Uint8Array([...generateTelegramExport({ messages: 30, seed: 7, chunkBytes: 1 << 20 })].flatMap((c) => [...c]));

  function survives(bytes: Uint8Array, piece: number): void {
    const started = performance.now();
    try {
      const parser = new TelegramExportParser({ maxTextLength: 4096, maxMessageLength: 64 * 1024 });
      for (let at = 0; at < bytes.length; at += piece) parser.write(bytes.subarray(at, at + piece));
      parser.end();
    } catch (error) {
      if (!isClearingError(error) || !telegramCodes.has(error.code)) throw error;
    }
    expect(performance.now() - started).toBeLessThan(2000);
  }

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (bytes, piece) => survives(bytes, piece)),
      { numRuns: 300 },
    );
  });

  it('JSON-ish text and arbitrary JSON values', () => {
    const jsonish = fc.stringMatching(/^[{}[\]":,0-9a-z\\ .eE+-]{0,400}$/);
    fc.assert(
      fc.property(jsonish, (text) => survives(encoder.encode(text), 13)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) =>
        survives(encoder.encode(JSON.stringify({ name: 'x', messages: [value], chats: { list: [value] } })), 17),
      ),
      { numRuns: 300 },
    );
  });

  it('a real export, truncated, mutated and with bytes spliced in', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.integer({ min: 1, max: 5000 }),
        (cut, edits, piece) => {
          const bytes = valid.slice(0, Math.max(cut, 1));
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          survives(bytes, piece);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hostile structures: deep nesting, huge strings, wrong types', () => {
    const hostile = fc.oneof(
      fc.integer({ min: 1, max: 5000 }).map((n) => `{"messages":[${'['.repeat(n)}`),
      fc.integer({ min: 4000, max: 20000 }).map((n) => msg(`"from":"${'x'.repeat(n)}"`)),
      fc.constantFrom('1', 'true', '"s"', '[]', '{}', 'null', '1.5', '-1', '1e999').map((v) => msg(`"id":${v},"from":${v},"photo":${v},"text":${v}`)),
      fc.constantFrom('1', '"s"', '[]', '{}', 'null').map((v) => `{"chats":{"list":[{"id":${v},"messages":${v}}]}}`),
    );
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 997 }), (text, piece) => survives(encoder.encode(text), piece)),
      { numRuns: 200 },
    );
  });
});
