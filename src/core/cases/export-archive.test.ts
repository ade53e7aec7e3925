import { unpackTar } from 'modern-tar';
import { describe, expect, it } from 'vitest';
import { isClearingError } from '../errors/index.js';
import { collectBytes } from '../crypto/age/bytes.js';
import { decryptBytes } from '../crypto/age/file.js';
import { encodeRecipient, generateAgeKeyPair } from '../crypto/age/keys.js';
import { caseArchiveTar, encryptCaseArchive, type ArchiveRecord, type CaseArchiveContent } from './export-archive.js';

const caseId = '0b7e4c1a-5d2f-4e8a-9c3b-1f2a3b4c5d6e';
const anna = { id: '11111111-2222-4333-8444-555555555555', name: 'Anna' };
const boris = { id: '66666666-7777-4888-9999-aaaaaaaaaaaa', name: null };

function content(records: Iterable<ArchiveRecord> | AsyncIterable<ArchiveRecord> = []): CaseArchiveContent {
  return {
    case: {
      id: caseId,
      code: 'K7F-3QX',
      status: 'active',
      category: 'mobilized',
      priority: 'high',
      ownerId: anna.id,
      flags: ['safety_risk'],
      createdAt: '2026-11-01T10:00:00.000Z',
      updatedAt: '2026-11-30T12:00:00.000Z',
      closedAt: null,
      outcome: null,
    },
    exportedAt: '2026-12-01T09:30:00.000Z',
    exportedBy: anna,
    server: 'https://clearing.example',
    compartments: [
      {
        name: 'identity',
        epoch: 1,
        records: [
          {
            recordId: 'aaaaaaaa-0000-4000-8000-000000000001',
            kind: 'fields',
            versions: [
              {
                version: 0,
                epoch: 0,
                author: anna,
                createdAt: '2026-11-01T10:05:00.000Z',
                signatureVerified: true,
                content: { kind: 'fields', fields: { alias: 'Сокол', unit: '12th' } },
              },
              {
                version: 1,
                epoch: 1,
                author: boris,
                createdAt: '2026-11-02T08:00:00.000Z',
                signatureVerified: false,
                content: { kind: 'fields', fields: { alias: 'Сокол', unit: '12th', rank: 'private' } },
              },
            ],
          },
        ],
      },
      { name: 'testimony', epoch: 0, records },
    ],
    tasks: [
      { id: 'bbbbbbbb-0000-4000-8000-000000000001', title: 'Call the lawyer', state: 'open', dueOn: '2026-12-05', assigneeId: anna.id, compartment: 'legal' },
    ],
    timeline: [{ at: '2026-11-01T10:00:00.000Z', action: 'case.open', actor: anna }],
  };
}

const note = (n: number, text: string): ArchiveRecord => ({
  recordId: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`,
  kind: 'note',
  versions: [{ version: 0, epoch: 0, author: anna, createdAt: '2026-11-03T10:00:00.000Z', signatureVerified: true, content: { kind: 'note', text } }],
});

const decoder = new TextDecoder();

async function unpack(tar: Uint8Array): Promise<Map<string, string>> {
  const entries = await unpackTar(tar);
  return new Map(entries.map((e) => [e.header.name, e.data ? decoder.decode(e.data) : '']));
}

describe('case export archive', () => {
  it('round trip: age-encrypted tar with the README, case.json, a file per record and readable notes', async () => {
    const key = generateAgeKeyPair();
    const other = generateAgeKeyPair();
    const unreadable: ArchiveRecord = {
      recordId: 'cccccccc-0000-4000-8000-00000000ffff',
      kind: 'note',
      versions: [
        { version: 0, epoch: 0, author: boris, createdAt: '2026-11-04T10:00:00.000Z', signatureVerified: false, content: null, problem: 'RECORD_TAMPERED' },
      ],
    };
    const counts: number[] = [];
    const encrypted = await collectBytes(
      encryptCaseArchive(content([note(1, 'Первая встреча\nна вокзале'), unreadable]), [encodeRecipient(key.publicKey), encodeRecipient(other.publicKey)], {
        onRecord: (n) => counts.push(n),
      }),
    );
    expect(decoder.decode(encrypted.subarray(0, 21))).toBe('age-encryption.org/v1');
    // Either recipient opens it.
    const tar = await decryptBytes(encrypted, [other.privateKey]);
    const files = await unpack(await decryptBytes(encrypted, [key.privateKey]));
    expect(await unpack(tar)).toEqual(files);
    expect([...files.keys()]).toEqual([
      'README.txt',
      'compartments/',
      'compartments/identity/',
      'compartments/identity/aaaaaaaa-0000-4000-8000-000000000001.json',
      'compartments/identity/notes.txt',
      'compartments/testimony/',
      'compartments/testimony/cccccccc-0000-4000-8000-000000000001.json',
      'compartments/testimony/cccccccc-0000-4000-8000-00000000ffff.json',
      'compartments/testimony/notes.txt',
      'case.json',
    ]);
    expect(counts).toEqual([1, 2, 3]);

    const readme = files.get('README.txt')!;
    expect(readme).toContain('Clearing case export: case K7F-3QX');
    expect(readme).toContain('Выгрузка дела из Clearing: дело K7F-3QX');
    expect(readme).toContain('2026-12-01 09:30 UTC');

    const summary = JSON.parse(files.get('case.json')!);
    expect(summary).toMatchObject({ format: 'clearing-case-export', v: 1, case: { code: 'K7F-3QX', status: 'active', flags: ['safety_risk'] } });
    expect(summary.compartments).toEqual([
      { name: 'identity', epoch: 1, records: 1, versions: 2, unverified: 1, unreadable: 0 },
      { name: 'testimony', epoch: 0, records: 2, versions: 2, unverified: 1, unreadable: 1 },
    ]);
    expect(summary.tasks[0].title).toBe('Call the lawyer');
    expect(summary.timeline[0].action).toBe('case.open');

    const fields = JSON.parse(files.get('compartments/identity/aaaaaaaa-0000-4000-8000-000000000001.json')!);
    expect(fields.versions.map((v: { version: number }) => v.version)).toEqual([1, 0]);
    expect(fields.versions[0]).toMatchObject({ signatureVerified: false, author: boris, content: { fields: { rank: 'private' } } });
    expect(fields.versions[1]).toMatchObject({ signatureVerified: true, author: anna, epoch: 0 });

    const identityNotes = files.get('compartments/identity/notes.txt')!;
    expect(identityNotes).toContain('Compartment “identity” of case K7F-3QX: 1 record(s)');
    expect(identityNotes).toContain(
      'Version 1 of 2, written by an unknown member (66666666-7777-4888-9999-aaaaaaaaaaaa) on 2026-11-02 08:00 UTC (current, signature NOT verified)',
    );
    expect(identityNotes).toContain('Version 0 of 2, written by Anna on 2026-11-01 10:05 UTC (signature verified)');
    expect(identityNotes).toContain('  alias: Сокол');
    const testimony = files.get('compartments/testimony/notes.txt')!;
    expect(testimony).toContain('  Первая встреча\n  на вокзале');
    expect(testimony).toContain('could not be opened: RECORD_TAMPERED');
  });

  it('writes the notes in Russian when asked', async () => {
    const files = await unpack(await collectBytes(caseArchiveTar(content([note(1, 'текст')]), { language: 'ru' })));
    expect(files.get('compartments/testimony/notes.txt')).toContain('Отдел «показания» дела K7F-3QX: записей — 1');
    expect(files.get('compartments/testimony/notes.txt')).toContain('подпись проверена');
    expect(files.get('README.txt')).toContain('Clearing case export');
  });

  it('reads the tasks after the compartments, so titles opened on the way are in case.json', async () => {
    const titles = new Map<string, string>();
    async function* opening(): AsyncGenerator<ArchiveRecord> {
      titles.set('t1', 'Buy the ticket');
      yield note(1, 'x');
    }
    const base = content(opening());
    const files = await unpack(
      await collectBytes(
        caseArchiveTar({
          ...base,
          tasks: () => [{ id: 'task-1', title: titles.get('t1') ?? null, state: 'open', dueOn: null, assigneeId: null, compartment: 'logistics' }],
        }),
      ),
    );
    expect(JSON.parse(files.get('case.json')!).tasks[0].title).toBe('Buy the ticket');
  });

  it('refuses a bad recipient before any output exists', () => {
    let code: string | null = null;
    try {
      encryptCaseArchive(content(), ['age1notakey']);
    } catch (error) {
      if (isClearingError(error)) code = error.code;
    }
    expect(code).toBe('AGE_RECIPIENT');
    expect(() => encryptCaseArchive(content(), [])).toThrow();
  });

  it('refuses a record id that is not safe as a file name', async () => {
    const bad = { ...note(1, 'x'), recordId: '../../etc/passwd' };
    await expect(collectBytes(caseArchiveTar(content([bad])))).rejects.toThrow(/not safe/);
  });

  it('streams: records are pulled only as the output is read, and a reader that stops early stops the producer', async () => {
    let produced = 0;
    const total = 20_000;
    const filler = 'слово '.repeat(300);
    async function* many(): AsyncGenerator<ArchiveRecord> {
      for (let i = 0; i < total; i++) {
        produced++;
        yield note(i, filler);
      }
    }
    const key = generateAgeKeyPair();
    const output = encryptCaseArchive(content(many()), [encodeRecipient(key.publicKey)]);
    expect(produced).toBe(0);
    let read = 0;
    for await (const chunk of output) {
      read += chunk.length;
      if (read > 1024 * 1024) break;
    }
    await new Promise((r) => setTimeout(r, 50));
    // About 3.6 KiB a record in the tar: far fewer than all were built while 1 MiB was read.
    expect(produced).toBeGreaterThan(0);
    expect(produced).toBeLessThan(total / 2);
    const after = produced;
    await new Promise((r) => setTimeout(r, 50));
    expect(produced).toBe(after);
  });

  it('ends the stream with the error of the caller’s records', async () => {
    async function* failing(): AsyncGenerator<ArchiveRecord> {
      yield note(1, 'one');
      throw new Error('the server went away');
    }
    const key = generateAgeKeyPair();
    await expect(collectBytes(encryptCaseArchive(content(failing()), [encodeRecipient(key.publicKey)]))).rejects.toThrow('the server went away');
  });
});
