/**
 * A case export: what a member's keys could open of one case, as a tar
 * archive (README.txt in English and Russian, case.json, one JSON file per
 * record and a plain-text notes.txt per compartment) encrypted with age to
 * recipients the member names. Opening it needs only `age -d` and `tar -x`.
 *
 * It streams: compartments and their records are pulled from the caller's
 * iterables only as the encrypted output is consumed (tar and age each hold
 * a bounded buffer), so a large case never sits in memory whole, let alone
 * twice. Only one compartment's notes text is held while its records pass.
 */
import { createTarPacker, type TarHeader, type TarPackController } from 'modern-tar';
import type { ChunkAead } from '../crypto/age/aead.js';
import { ageError } from '../crypto/age/errors.js';
import { encryptFile } from '../crypto/age/file.js';
import { decodeAnyRecipient, type AgeRecipient } from '../crypto/age/keys.js';
import type { CaseCategory, CaseCompartmentName, CaseFlag, CasePriority, CaseStatus, RecordKind, TaskState } from '../domain/cases.js';
import { caseCompartments } from '../domain/compartments.js';
import { catalogs, interpolate, type Language, type Messages } from '../i18n/index.js';
import type { CaseDetail } from '../api/cases.js';
import type { RecordContent } from './records.js';
import { readStream } from '../crypto/age/bytes.js';

/** The version tag of case.json and of every record file. */
export const caseArchiveFormat = 'clearing-case-export';
export const caseArchiveVersion = 1;

export interface ArchiveMember {
  id: string;
  /** The certified name, when the exporting client verified one. */
  name: string | null;
}

/** One version of a record as the exporting client opened it. */
export interface ArchiveRecordVersion {
  version: number;
  epoch: number;
  author: ArchiveMember;
  createdAt: string;
  /** Whether the author's signature verified against their certified key. */
  signatureVerified: boolean;
  /** The decrypted content; null when the version could not be opened (see `problem`). */
  content: RecordContent | null;
  /** Why it could not be opened (a stable error code), or null. */
  problem?: string | null;
}

export interface ArchiveRecord {
  recordId: string;
  kind: RecordKind;
  /** Every version the member could fetch, in any order. */
  versions: readonly ArchiveRecordVersion[];
}

export interface ArchiveCompartment {
  name: CaseCompartmentName;
  /** The current epoch, when known. */
  epoch: number | null;
  records: Iterable<ArchiveRecord> | AsyncIterable<ArchiveRecord>;
}

export interface ArchiveTask {
  id: string;
  /** The decrypted title, or null when its record could not be opened. */
  title: string | null;
  state: TaskState;
  dueOn: string | null;
  assigneeId: string | null;
  compartment: CaseCompartmentName;
}

export interface ArchiveTimelineEntry {
  at: string;
  action: string;
  actor: ArchiveMember | null;
  detail?: unknown;
}

export interface ArchiveCaseMetadata {
  id: string;
  code: string;
  status: CaseStatus;
  category: CaseCategory;
  priority: CasePriority;
  ownerId: string | null;
  flags: readonly CaseFlag[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  outcome: string | null;
}

/** The archive's view of a case's metadata, from the case as the server serves it. */
export function archiveCaseMetadata(detail: Pick<CaseDetail, 'case' | 'closedAt' | 'outcome'>): ArchiveCaseMetadata {
  const c = detail.case;
  return {
    id: c.id,
    code: c.code,
    status: c.status,
    category: c.category,
    priority: c.priority,
    ownerId: c.ownerId,
    flags: c.flags,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    closedAt: detail.closedAt,
    outcome: detail.outcome,
  };
}

export interface CaseArchiveContent {
  case: ArchiveCaseMetadata;
  exportedAt: string;
  exportedBy: ArchiveMember;
  /** The server the case came from, for the reader's orientation. */
  server?: string | null;
  compartments: Iterable<ArchiveCompartment> | AsyncIterable<ArchiveCompartment>;
  /** Read after the compartments (case.json comes last), so a function may return titles opened on the way. */
  tasks?: readonly ArchiveTask[] | (() => readonly ArchiveTask[]);
  timeline?: readonly ArchiveTimelineEntry[];
}

export interface CaseArchiveOptions {
  /** Language of notes.txt; the README is always in English and Russian. Default English. */
  language?: Language;
  /** Called after each record is written, with the running count (for a progress bar). */
  onRecord?: (written: number) => void;
}

export interface EncryptedCaseArchiveOptions extends CaseArchiveOptions {
  armor?: boolean;
  aead?: ChunkAead;
}

const encoder = new TextEncoder();
/** Tar entries are opened by whoever unpacks the archive: names come only from these shapes. */
const safeRecordId = /^[A-Za-z0-9_-]{1,64}$/;
const fileMode = 0o600;
const directoryMode = 0o700;

type ArchiveWords = Messages['caseArchive'];
/** A catalogue key of the archive, by its full path, so each one can be found where it is used. */
type ArchiveKey = `caseArchive.${keyof ArchiveWords}`;
type Say = (key: ArchiveKey, params?: Record<string, string | number>) => string;

function sayer(language: Language): Say {
  const w = words(language);
  return (key, params = {}) => interpolate(w[key.slice('caseArchive.'.length) as keyof ArchiveWords], params);
}

function words(language: Language): ArchiveWords {
  return catalogs[language].caseArchive;
}

function timeOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function readme(content: CaseArchiveContent): string {
  const params = { code: content.case.code, exportedAt: timeOf(content.exportedAt), exportedBy: content.exportedBy.name ?? content.exportedBy.id };
  const part = (language: Language) => {
    const say = sayer(language);
    const title = say('caseArchive.readmeTitle', params);
    return `${title}\n${'='.repeat(title.length)}\n\n${say('caseArchive.readme', params)}\n`;
  };
  return `${part('en')}\n\n${part('ru')}`;
}

function authorName(say: Say, author: ArchiveMember): string {
  return author.name ?? say('caseArchive.notesUnknownAuthor', { id: author.id });
}

/** Content as a person reads it: a note's text, a task's title, profile fields one per line. */
function readable(content: RecordContent | null): string {
  if (content === null) return '';
  switch (content.kind) {
    case 'note':
      return content.text;
    case 'task':
      return content.title;
    case 'fields':
      return Object.entries(content.fields)
        .map(([key, value]) => (value.includes('\n') ? `${key}:\n${indent(value)}` : `${key}: ${value}`))
        .join('\n');
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function notesOf(w: ArchiveWords, say: Say, record: ArchiveRecord, versions: readonly ArchiveRecordVersion[]): string {
  const lines = [`## ${say('caseArchive.notesRecord', { kind: w[`kind_${record.kind}`], recordId: record.recordId })}`, ''];
  versions.forEach((v, i) => {
    const flags = [i === 0 ? say('caseArchive.notesCurrent') : null, say(v.signatureVerified ? 'caseArchive.notesVerified' : 'caseArchive.notesUnverified')]
      .filter(Boolean)
      .join(', ');
    const heading = say('caseArchive.notesVersion', {
      version: v.version,
      count: versions.length,
      author: authorName(say, v.author),
      time: timeOf(v.createdAt),
    });
    lines.push(`${heading} (${flags})`);
    lines.push(v.problem ? say('caseArchive.notesUnreadable', { reason: v.problem }) : indent(readable(v.content)), '');
  });
  return `${lines.join('\n')}\n`;
}

async function* each<T>(source: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* source;
}

interface CompartmentSummary {
  name: CaseCompartmentName;
  epoch: number | null;
  records: number;
  versions: number;
  unverified: number;
  unreadable: number;
}

/** Writes the tar entries in order; every write waits while the consumer is behind. */
async function writeEntries(tar: TarPackController, content: CaseArchiveContent, options: CaseArchiveOptions): Promise<void> {
  const w = words(options.language ?? 'en');
  const say = sayer(options.language ?? 'en');
  const mtime = new Date(content.exportedAt);
  const file = async (name: string, text: string): Promise<void> => {
    const bytes = encoder.encode(text);
    const header: TarHeader = { name, size: bytes.length, type: 'file', mode: fileMode, mtime };
    const writer = tar.add(header).getWriter();
    await writer.write(bytes);
    await writer.close();
  };
  const directory = async (name: string): Promise<void> => {
    await tar.add({ name, size: 0, type: 'directory', mode: directoryMode, mtime }).close();
  };

  await file('README.txt', readme(content));
  await directory('compartments/');
  const summaries: CompartmentSummary[] = [];
  const seen = new Set<string>();
  let written = 0;
  for await (const compartment of each(content.compartments)) {
    if (!(caseCompartments as readonly string[]).includes(compartment.name)) {
      throw new RangeError(`not a case compartment: ${String(compartment.name)}`);
    }
    if (seen.has(compartment.name)) throw new RangeError(`compartment ${compartment.name} given twice`);
    seen.add(compartment.name);
    const folder = `compartments/${compartment.name}/`;
    await directory(folder);
    const summary: CompartmentSummary = { name: compartment.name, epoch: compartment.epoch, records: 0, versions: 0, unverified: 0, unreadable: 0 };
    const notes: string[] = [];
    const ids = new Set<string>();
    for await (const record of each(compartment.records)) {
      if (!safeRecordId.test(record.recordId)) throw new RangeError('a record id is not safe as a file name');
      if (ids.has(record.recordId)) throw new RangeError(`record ${record.recordId} given twice`);
      ids.add(record.recordId);
      // Newest first, as the notes read.
      const versions = [...record.versions].sort((a, b) => b.version - a.version);
      await file(
        `${folder}${record.recordId}.json`,
        `${JSON.stringify(
          {
            format: caseArchiveFormat,
            v: caseArchiveVersion,
            caseId: content.case.id,
            compartment: compartment.name,
            recordId: record.recordId,
            kind: record.kind,
            versions: versions.map((v) => ({
              version: v.version,
              epoch: v.epoch,
              author: v.author,
              createdAt: v.createdAt,
              signatureVerified: v.signatureVerified,
              content: v.problem ? null : v.content,
              problem: v.problem ?? null,
            })),
          },
          null,
          2,
        )}\n`,
      );
      notes.push(notesOf(w, say, record, versions));
      summary.records++;
      summary.versions += versions.length;
      summary.unverified += versions.filter((v) => !v.signatureVerified).length;
      summary.unreadable += versions.filter((v) => v.problem).length;
      options.onRecord?.(++written);
    }
    const title = say('caseArchive.notesTitle', { compartment: w[`compartment_${compartment.name}`], code: content.case.code, count: summary.records });
    await file(`${folder}notes.txt`, `${title}\n${'='.repeat(title.length)}\n\n${notes.length > 0 ? notes.join('\n') : `${say('caseArchive.notesEmpty')}\n`}`);
    summaries.push(summary);
  }
  // Last, so it can count what the compartments held.
  await file(
    'case.json',
    `${JSON.stringify(
      {
        format: caseArchiveFormat,
        v: caseArchiveVersion,
        exportedAt: content.exportedAt,
        exportedBy: content.exportedBy,
        server: content.server ?? null,
        case: content.case,
        compartments: summaries,
        tasks: (typeof content.tasks === 'function' ? content.tasks() : content.tasks) ?? [],
        timeline: content.timeline ?? [],
      },
      null,
      2,
    )}\n`,
  );
  tar.finalize();
}

/**
 * The plain tar archive, as a stream of bytes. Nothing is read from `content`
 * until the first bytes are asked for; a failure of the caller's iterables
 * ends the stream with that error.
 */
export function caseArchiveTar(content: CaseArchiveContent, options: CaseArchiveOptions = {}): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]() {
      const { readable, controller } = createTarPacker();
      writeEntries(controller, content, options).catch((error: unknown) => {
        // A stopped consumer has already cancelled the stream; anything else ends it with the cause.
        try {
          controller.error(error);
        } catch {
          // already stopped
        }
      });
      return readStream(readable);
    },
  };
}

/** Recipients as `age1…` (X25519) or `age1pq1…` (post-quantum) strings; a bad one is AGE_RECIPIENT, naming it. */
export function caseArchiveRecipients(recipients: readonly string[]): AgeRecipient[] {
  if (recipients.length === 0) throw ageError('AGE_RECIPIENT', 'age: at least one recipient is required');
  return recipients.map((r) => {
    try {
      return decodeAnyRecipient(r.trim());
    } catch (cause) {
      throw ageError('AGE_RECIPIENT', `age: not a recipient: ${r}`, cause);
    }
  });
}

/**
 * The archive encrypted with age to every recipient. Recipients are checked
 * now, before any output exists; the archive is then built while the result
 * is read.
 */
export function encryptCaseArchive(
  content: CaseArchiveContent,
  recipients: readonly string[],
  options: EncryptedCaseArchiveOptions = {},
): AsyncGenerator<Uint8Array> {
  const decoded = caseArchiveRecipients(recipients);
  return encryptFile(caseArchiveTar(content, options), decoded, { armor: options.armor, aead: options.aead });
}
