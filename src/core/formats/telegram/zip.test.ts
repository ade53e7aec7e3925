import fc from 'fast-check';
import { Zip, ZipDeflate, ZipPassThrough, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { evidenceErrorCodes, isClearingError } from '../../errors/index.js';
import { type ChatMessage, listZip, locateExport, readTelegramZip, readZipEntry, sniff, type TelegramEvent, type ZipLimits, type ZipSource } from './index.js';

const encoder = new TextEncoder();
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 2, 3, 4, 5]);
const pdf = encoder.encode('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const ogg = encoder.encode('OggS\0\x02\0\0\0\0\0\0\0\0');

/** A source that hands the archive out in pieces of `piece` bytes, afresh each time. */
function source(bytes: Uint8Array, piece = 1000): ZipSource {
  return function* () {
    for (let at = 0; at < bytes.length; at += piece) yield bytes.slice(at, at + piece);
  };
}

async function collect<T, R>(generator: AsyncGenerator<T, R>): Promise<{ items: T[]; result: R }> {
  const items: T[] = [];
  let next = await generator.next();
  while (!next.done) {
    items.push(next.value);
    next = await generator.next();
  }
  return { items, result: next.value };
}

async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    if (!isClearingError(error)) throw error;
    return error.code;
  }
}

const resultJson = (messages: unknown[]) => encoder.encode(JSON.stringify({ name: 'Иван', type: 'personal_chat', id: 9, messages }));
const messagesOf = (events: TelegramEvent[]): ChatMessage[] => events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));

describe('zipped exports', () => {
  const messages = [
    { id: 1, type: 'message', text: 'фото', photo: 'photos/photo_1.jpg', width: 1, height: 1 },
    { id: 2, type: 'message', text: 'это не фото', photo: 'photos/photo_2.jpg' },
    { id: 3, type: 'message', text: 'пропал', photo: 'photos/photo_3.jpg' },
    { id: 4, type: 'message', text: 'голос', file: 'voice_messages/audio_1.ogg', media_type: 'voice_message', mime_type: 'audio/ogg' },
    { id: 5, type: 'message', text: 'не выгружен', file: '(File not included. Change data exporting settings to download.)', media_type: 'video_file' },
    { id: 6, type: 'message', text: 'документ', file: 'files/Повестка.pdf', mime_type: 'application/pdf', thumbnail: 'files/Повестка.pdf_thumb.jpg' },
  ];
  const files: Zippable = {
    'photos/photo_1.jpg': jpeg,
    'photos/photo_2.jpg': pdf,
    'voice_messages/audio_1.ogg': ogg,
    'files/Повестка.pdf': pdf,
    'files/Повестка.pdf_thumb.jpg': pdf,
  };

  for (const [where, prefix] of [
    ['at the root', ''],
    ['inside one top-level folder', 'ChatExport_2023-06-14/'],
  ] as const) {
    it(`finds result.json ${where} and checks each message’s media against the archive`, async () => {
      const entries: Zippable = { [`${prefix}result.json`]: resultJson(messages) };
      for (const [name, data] of Object.entries(files)) entries[prefix + name] = data;
      const zip = zipSync(entries, { level: 6 });
      const { items, result } = await collect(readTelegramZip(source(zip)));
      const { items: byteByByte } = await collect(readTelegramZip(source(zip, 1)));
      expect(byteByByte).toEqual(items);
      expect(result).toMatchObject({ resultJson: `${prefix}result.json`, root: prefix, entries: 6, messages: 6 });
      const problems = Object.fromEntries(messagesOf(items).map((m) => [m.id, m.problems]));
      expect(problems[1]).toEqual([]);
      expect(problems[2]).toEqual([{ code: 'MEDIA_KIND_MISMATCH', path: 'photos/photo_2.jpg', expected: 'photo', found: 'pdf' }]);
      expect(problems[3]).toEqual([{ code: 'MEDIA_FILE_MISSING', path: 'photos/photo_3.jpg', expected: 'photo', found: null }]);
      expect(problems[4]).toEqual([]);
      expect(problems[5]).toEqual([]);
      expect(problems[6]).toEqual([{ code: 'MEDIA_KIND_MISMATCH', path: 'files/Повестка.pdf_thumb.jpg', expected: 'thumbnail', found: 'pdf' }]);
    });
  }

  it('lists entries with sizes and kinds, and streams one entry exactly', async () => {
    const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
    const zip = zipSync({ 'a/': new Uint8Array(0), 'a/big.bin': big, 'a/p.jpg': jpeg }, { level: 1 });
    expect(await listZip(source(zip, 777))).toEqual([
      { name: 'a/', directory: true, size: 0, kind: 'unknown' },
      { name: 'a/big.bin', directory: false, size: 300_000, kind: 'unknown' },
      { name: 'a/p.jpg', directory: false, size: jpeg.length, kind: 'jpeg' },
    ]);
    const { items } = await collect(readZipEntry(source(zip, 777), 'a/big.bin'));
    expect(items.length).toBeGreaterThan(1);
    const joined = new Uint8Array(items.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of items) {
      joined.set(c, at);
      at += c.length;
    }
    expect(joined).toEqual(big);
    expect(await refusal(collect(readZipEntry(source(zip), 'a/none')))).toBe('ARCHIVE_ENTRY_NOT_FOUND');
  });

  it('reads archives written as a stream (sizes after the data), stored or deflated', async () => {
    const chunks: Uint8Array[] = [];
    const zip = new Zip((error, data) => {
      if (error) throw error;
      chunks.push(data);
    });
    const json = new ZipDeflate('result.json', { level: 6 });
    zip.add(json);
    json.push(resultJson([{ id: 1, type: 'message', text: 'x', photo: 'photos/p.jpg' }]), true);
    const photo = new ZipPassThrough('photos/p.jpg');
    zip.add(photo);
    photo.push(jpeg, true);
    zip.end();
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    const { items, result } = await collect(readTelegramZip(source(bytes, 100)));
    expect(result.messages).toBe(1);
    expect(messagesOf(items)[0]!.problems).toEqual([]);
  });

  it('no result.json, or more than one', async () => {
    expect(await refusal(collect(readTelegramZip(source(zipSync({ 'messages.html': encoder.encode('<html>') })))))).toBe('ARCHIVE_NO_EXPORT');
    expect(await refusal(collect(readTelegramZip(source(zipSync({ 'a/b/result.json': resultJson([]) })))))).toBe('ARCHIVE_NO_EXPORT');
    expect(await refusal(collect(readTelegramZip(source(zipSync({ 'result.json': resultJson([]), 'x/result.json': resultJson([]) })))))).toBe(
      'ARCHIVE_SEVERAL_EXPORTS',
    );
    expect(() => locateExport([])).toThrow();
  });

  it('a bad result.json inside the archive is refused like a bad file', async () => {
    const zip = zipSync({ 'result.json': encoder.encode('{"name":"x","messages":[{"id":1,"type":"message","photo":"../../etc/passwd"}]}') });
    expect(await refusal(collect(readTelegramZip(source(zip))))).toBe('TELEGRAM_MEDIA_PATH_UNSAFE');
  });
});

describe('hostile zips', () => {
  const codeOf = (bytes: Uint8Array, limits: ZipLimits = {}) => refusal(listZip(source(bytes), limits));

  it('entry names that leave the folder', async () => {
    for (const name of ['../evil.txt', 'a/../../evil.txt', '/etc/passwd', 'a\\..\\evil.txt', 'C:/evil.txt', 'a//b', './a', 'a/\u0000b']) {
      expect(await codeOf(zipSync({ [name]: encoder.encode('x') })), name).toBe('ARCHIVE_ENTRY_UNSAFE');
    }
  });

  it('fuzzing names: a name is accepted only if every segment is a plain name', async () => {
    const segment = fc.constantFrom('..', '.', '', 'a', 'photos', 'C:', 'x\\y', '\u0000', 'файл.jpg', ' ', '...');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), async (segments, absolute) => {
        const name = (absolute ? '/' : '') + segments.join('/');
        fc.pre(name.length > 0);
        const code = await codeOf(zipSync({ [name]: encoder.encode('x') }));
        // A colon matters only where it would make a drive letter or a scheme ("C:", "file:").
        // A trailing slash marks a folder.
        const body = segments.length > 1 && segments.at(-1) === '' ? segments.slice(0, -1) : segments;
        const plain =
          !absolute && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(name) && body.every((s) => s !== '' && !/^\.+$/.test(s) && !s.includes('\\') && !s.includes('\u0000'));
        expect(code, JSON.stringify(name)).toBe(plain ? null : 'ARCHIVE_ENTRY_UNSAFE');
      }),
      { numRuns: 300 },
    );
  });

  it('the same name twice', async () => {
    const zip = zipSync({ 'photos/a.jpg': jpeg, 'photos/b.jpg': jpeg }, { level: 0 });
    // Rename the second file to the first one's name, in its local header and in the central directory.
    const renamed = zip.slice();
    for (let i = 0; i < renamed.length - 12; i++) {
      if (new TextDecoder().decode(renamed.subarray(i, i + 12)) === 'photos/b.jpg') renamed[i + 7] = 0x61;
    }
    expect(renamed).not.toEqual(zip);
    expect(await codeOf(renamed)).toBe('ARCHIVE_ENTRY_UNSAFE');
  });

  it('a zip bomb: too much from too little, or too much in all', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const bomb = zipSync({ 'result.json': zeros }, { level: 9 });
    expect(bomb.length).toBeLessThan(zeros.length / 500);
    expect(await codeOf(bomb)).toBe('ARCHIVE_TOO_LARGE');
    const plain = zipSync({ 'a.bin': new Uint8Array(100_000).map((_, i) => (i * 31) % 256), 'b.bin': new Uint8Array(100_000) }, { level: 0 });
    expect(await codeOf(plain, { maxTotalBytes: 150_000 })).toBe('ARCHIVE_TOO_LARGE');
    expect(await codeOf(plain, { maxTotalBytes: 250_000 })).toBeNull();
  });

  it('too many entries', async () => {
    const many: Zippable = {};
    for (let i = 0; i < 50; i++) many[`files/${i}.txt`] = encoder.encode(String(i));
    const zip = zipSync(many);
    expect(await codeOf(zip, { maxEntries: 49 })).toBe('ARCHIVE_TOO_MANY_ENTRIES');
    expect(await codeOf(zip, { maxEntries: 50 })).toBeNull();
  });

  it('damaged, truncated, empty or not a zip at all', async () => {
    const zip = zipSync({ 'result.json': resultJson([{ id: 1, type: 'message', text: 'a'.repeat(5000) }]) }, { level: 6 });
    expect(await codeOf(zip.slice(0, zip.length / 2))).toBe('ARCHIVE_DAMAGED');
    expect(await codeOf(new Uint8Array(0))).toBe('ARCHIVE_DAMAGED');
    expect(await codeOf(encoder.encode('{"name":"not a zip"}'))).toBe('ARCHIVE_DAMAGED');
    const broken = zip.slice();
    for (let i = 60; i < 90; i++) broken[i] = 0xff;
    expect(await codeOf(broken)).toBe('ARCHIVE_DAMAGED');
  });

  it('fuzzing: mutated and truncated archives give only the reader’s own refusals, quickly', async () => {
    const codes = new Set<string>(evidenceErrorCodes);
    const zip = zipSync(
      { 'Export/result.json': resultJson([{ id: 1, type: 'message', text: 'x', photo: 'photos/a.jpg' }]), 'Export/photos/a.jpg': jpeg },
      { level: 6 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: zip.length }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: zip.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.integer({ min: 1, max: 2000 }),
        async (cut, edits, piece) => {
          const bytes = zip.slice(0, cut);
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          const started = performance.now();
          try {
            await collect(readTelegramZip(source(bytes, piece), { zip: { maxTotalBytes: 1 << 20 } }));
          } catch (error) {
            if (!isClearingError(error) || !codes.has(error.code)) throw error;
          }
          expect(performance.now() - started).toBeLessThan(2000);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('magic bytes', () => {
  const bytes = (...parts: (number[] | string)[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xdb])],
    ['png', bytes([0x89], 'PNG\r\n\x1a\n')],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
    ['gif', bytes('GIF89a')],
    ['pdf', bytes('%PDF-1.4')],
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom')],
    ['mp4', bytes([0, 0, 0, 0x14], 'ftypqt  ')],
    ['ogg', bytes('OggS')],
    ['mp3', bytes('ID3', [4, 0])],
    ['mp3', bytes([0xff, 0xfb, 0x90])],
    ['unknown', bytes('hello')],
    ['unknown', bytes()],
  ])('%s', (kind, data) => {
    expect(sniff(data)).toBe(kind);
  });
});
