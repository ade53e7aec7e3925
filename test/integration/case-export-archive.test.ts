/**
 * A case export opens with nothing of Clearing: Debian's `age -d` and `tar -x`.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectBytes } from '../../src/core/crypto/age/bytes.js';
import { encryptCaseArchive, type ArchiveRecord, type CaseArchiveContent } from '../../src/core/cases/export-archive.js';
import { ageToolStatus, run } from '../support/age-tool.js';

const tool = ageToolStatus();
let dir = '';
let identityFile = '';
let recipient = '';

beforeAll(async () => {
  if (!tool.available) return;
  dir = mkdtempSync(join(tmpdir(), 'clearing-case-archive-'));
  identityFile = join(dir, 'key.txt');
  expect((await run('age-keygen', ['-o', identityFile])).status).toBe(0);
  recipient = /public key: (age1[0-9a-z]+)/.exec(readFileSync(identityFile, 'utf8'))![1]!;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const author = { id: '11111111-2222-4333-8444-555555555555', name: 'Anna' };

function records(count: number): ArchiveRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    recordId: `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`,
    kind: 'note' as const,
    versions: [
      {
        version: 0,
        epoch: 0,
        author,
        createdAt: '2026-11-03T10:00:00.000Z',
        signatureVerified: true,
        content: { kind: 'note' as const, text: `Заметка номер ${i}` },
      },
      {
        version: 1,
        epoch: 0,
        author,
        createdAt: '2026-11-04T10:00:00.000Z',
        signatureVerified: true,
        content: { kind: 'note' as const, text: `Note number ${i}, edited` },
      },
    ],
  }));
}

const content: CaseArchiveContent = {
  case: {
    id: '0b7e4c1a-5d2f-4e8a-9c3b-1f2a3b4c5d6e',
    code: 'K7F-3QX',
    status: 'triage',
    category: 'conscript',
    priority: 'normal',
    ownerId: author.id,
    flags: [],
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-30T12:00:00.000Z',
    closedAt: null,
    outcome: null,
  },
  exportedAt: '2026-12-01T09:30:00.000Z',
  exportedBy: author,
  compartments: [
    { name: 'testimony', epoch: 0, records: records(300) },
    { name: 'legal', epoch: 2, records: [] },
  ],
};

describe.skipIf(!tool.available)(`case export archive with the age tool (${tool.reason})`, () => {
  it('`age -d | tar -x` unpacks it: README, case.json, every record and the notes, files readable only by their owner', async () => {
    const file = join(dir, 'case.age');
    writeFileSync(file, await collectBytes(encryptCaseArchive(content, [recipient])));
    const out = join(dir, 'out');
    const unpacked = await run('sh', ['-c', `mkdir -p "${out}" && age -d -i "${identityFile}" "${file}" | tar -x -C "${out}"`]);
    expect(unpacked.status, unpacked.stderr).toBe(0);
    expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain('Выгрузка дела из Clearing');
    const summary = JSON.parse(readFileSync(join(out, 'case.json'), 'utf8'));
    expect(summary.case.code).toBe('K7F-3QX');
    expect(summary.compartments).toEqual([
      { name: 'testimony', epoch: 0, records: 300, versions: 600, unverified: 0, unreadable: 0 },
      { name: 'legal', epoch: 2, records: 0, versions: 0, unverified: 0, unreadable: 0 },
    ]);
    const record = JSON.parse(readFileSync(join(out, 'compartments/testimony/cccccccc-0000-4000-8000-000000000299.json'), 'utf8'));
    expect(record.versions.map((v: { content: { text: string } }) => v.content.text)).toEqual(['Note number 299, edited', 'Заметка номер 299']);
    expect(readFileSync(join(out, 'compartments/testimony/notes.txt'), 'utf8')).toContain('Note number 17, edited');
    expect(readFileSync(join(out, 'compartments/legal/notes.txt'), 'utf8')).toContain('No records');
    expect(statSync(join(out, 'case.json')).mode & 0o077).toBe(0);
    const listing = await run('sh', ['-c', `age -d -i "${identityFile}" "${file}" | tar -t`]);
    // README, compartments/, testimony/ with 300 records and notes, legal/ with notes, case.json.
    expect(listing.stdout.toString().split('\n').filter(Boolean)).toHaveLength(307);
  });

  it('an armored archive opens with `age -d` too', async () => {
    const file = join(dir, 'case.age.txt');
    writeFileSync(file, await collectBytes(encryptCaseArchive(content, [recipient], { armor: true })));
    expect(readFileSync(file, 'utf8').startsWith('-----BEGIN AGE ENCRYPTED FILE-----')).toBe(true);
    const listing = await run('sh', ['-c', `age -d -i "${identityFile}" "${file}" | tar -t`]);
    expect(listing.status, listing.stderr).toBe(0);
    expect(listing.stdout.toString()).toContain('case.json');
  });
});
