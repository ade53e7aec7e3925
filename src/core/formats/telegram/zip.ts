import { Unzip, UnzipInflate, UnzipPassThrough, type UnzipFile } from 'fflate';
import { ClearingError, isClearingError } from '../../errors/index.js';
import type { MediaCheck } from './message.js';
import { type ExportSummary, type TelegramEvent, TelegramExportParser, type TelegramParseOptions } from './parser.js';
import { unsafePathReason } from './paths.js';
import { kindMatches, type SniffedKind, sniff, sniffLength } from './sniff.js';
import type { ImportProblem } from './types.js';

/**
 * Reading a zipped Telegram export as a stream (fflate's `Unzip`, local
 * headers in order), without ever holding a whole entry. An archive is read
 * at most twice: once to list and check every entry, once to stream the one
 * asked for. `open` must give the same bytes each time it is called (a
 * `File`'s `stream()`, a file read from the start).
 *
 * Refused, as ClearingErrors with `ARCHIVE_*` codes: names that are absolute,
 * contain `..`, backslashes or control characters, or repeat; more entries
 * than `maxEntries`; more than `maxTotalBytes` unpacked in all; an entry that
 * unpacks to more than `maxRatio` times what it took in the archive (past a
 * small floor); damaged or truncated data, unsupported compression. The
 * central directory is not consulted: what counts is what the local headers
 * and the data say, which is also what is streamed.
 */
export type ZipSource = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface ZipLimits {
  readonly maxEntries?: number;
  readonly maxTotalBytes?: number;
  readonly maxRatio?: number;
}

export const zipDefaults = {
  maxEntries: 200_000,
  maxTotalBytes: 64 * 1024 ** 3,
  maxRatio: 250,
} as const;

/** Entries smaller than this unpacked are never refused for their ratio (tiny files compress absurdly well). */
const ratioFloor = 4 * 1024 * 1024;
/** Bytes pushed into the unzipper at once: bounds what one push can unpack. */
const pushBytes = 16 * 1024;

export interface ZipEntry {
  /** As stored, with a trailing `/` for a folder. */
  readonly name: string;
  readonly directory: boolean;
  /** Unpacked size, counted while reading. */
  readonly size: number;
  /** What its first bytes say it is. */
  readonly kind: SniffedKind;
}

interface Chunk {
  readonly name: string;
  readonly data: Uint8Array;
  readonly final: boolean;
}

function damaged(detail: string): ClearingError {
  return new ClearingError('ARCHIVE_DAMAGED', { detail });
}

/** Why an entry name is refused, or null. */
export function unsafeEntryName(name: string): string | null {
  return unsafePathReason(name.endsWith('/') ? name.slice(0, -1) : name);
}

/**
 * The one pass every reading makes: checks every entry and its data against
 * the limits, and yields the data of the entries `wanted` says yes to.
 */
async function* unzipChunks(open: ZipSource, wanted: (name: string) => boolean, limits: ZipLimits): AsyncGenerator<Chunk, void, undefined> {
  const maxEntries = limits.maxEntries ?? zipDefaults.maxEntries;
  const maxTotal = limits.maxTotalBytes ?? zipDefaults.maxTotalBytes;
  const maxRatio = limits.maxRatio ?? zipDefaults.maxRatio;
  const names = new Set<string>();
  let queue: Chunk[] = [];
  let failure: ClearingError | null = null;
  let pushed = 0;
  let total = 0;
  let open_ = 0;
  let first = true;
  const unzip = new Unzip((file: UnzipFile) => {
    if (failure) return;
    const name = file.name;
    const reason = unsafeEntryName(name) ?? (names.has(name) ? 'repeated' : null);
    if (reason !== null) {
      failure = new ClearingError('ARCHIVE_ENTRY_UNSAFE', { detail: reason });
      return;
    }
    names.add(name);
    if (names.size > maxEntries) {
      failure = new ClearingError('ARCHIVE_TOO_MANY_ENTRIES', { params: { limit: maxEntries } });
      return;
    }
    const keep = wanted(name);
    const pushedAtStart = pushed;
    let unpacked = 0;
    open_++;
    file.ondata = (error, data, final) => {
      if (failure) return;
      if (error) {
        failure = damaged(error.message);
        return;
      }
      unpacked += data.length;
      total += data.length;
      const taken = Math.max(1, file.size ?? pushed - pushedAtStart);
      if (total > maxTotal || (unpacked > ratioFloor && unpacked > maxRatio * taken)) {
        failure = new ClearingError('ARCHIVE_TOO_LARGE', { params: { limit: maxTotal } });
        file.terminate();
        return;
      }
      if (file.originalSize !== undefined && unpacked > file.originalSize) {
        failure = damaged('more data than the header says');
        return;
      }
      if (final) open_--;
      if (keep) queue.push({ name, data, final });
    };
    try {
      file.start();
    } catch (error) {
      failure = damaged(error instanceof Error ? error.message : 'cannot start');
    }
  });
  unzip.register(UnzipPassThrough);
  unzip.register(UnzipInflate);
  const push = (bytes: Uint8Array, final: boolean) => {
    try {
      unzip.push(bytes, final);
    } catch (error) {
      failure ??= isClearingError(error) ? error : damaged(error instanceof Error ? error.message : 'unreadable');
    }
    if (failure) throw failure;
  };
  // A zip starts with a local file header ("PK\3\4"); anything else is not an archive this reader can stream.
  const signature = [0x50, 0x4b, 0x03, 0x04];
  let checked = 0;
  for await (const chunk of open()) {
    for (let i = 0; checked < 4 && i < chunk.length; i++, checked++) if (chunk[i] !== signature[checked]) throw damaged('not a zip');
    if (chunk.length > 0) first = false;
    for (let at = 0; at < chunk.length; at += pushBytes) {
      const piece = chunk.subarray(at, Math.min(chunk.length, at + pushBytes));
      pushed += piece.length;
      push(piece, false);
      if (queue.length > 0) {
        const out = queue;
        queue = [];
        yield* out;
      }
    }
  }
  if (first || checked < 4) throw damaged('empty');
  push(new Uint8Array(0), true);
  yield* queue;
  if (open_ !== 0) throw damaged('truncated');
}

/** Every entry of the archive, checked, with its unpacked size and what its first bytes say it is. */
export async function listZip(open: ZipSource, limits: ZipLimits = {}): Promise<ZipEntry[]> {
  const found = new Map<string, { size: number; head: Uint8Array }>();
  for await (const { name, data } of unzipChunks(open, () => true, limits)) {
    let entry = found.get(name);
    if (!entry) {
      entry = { size: 0, head: new Uint8Array(0) };
      found.set(name, entry);
    }
    if (entry.head.length < sniffLength && data.length > 0) {
      const head = new Uint8Array(Math.min(sniffLength, entry.head.length + data.length));
      head.set(entry.head);
      head.set(data.subarray(0, head.length - entry.head.length), entry.head.length);
      entry.head = head;
    }
    entry.size += data.length;
  }
  return [...found].map(([name, { size, head }]) => ({ name, directory: name.endsWith('/'), size, kind: sniff(head) }));
}

/** Streams one entry's unpacked bytes; ARCHIVE_ENTRY_NOT_FOUND if there is none by that name. */
export async function* readZipEntry(open: ZipSource, name: string, limits: ZipLimits = {}): AsyncGenerator<Uint8Array, void, undefined> {
  let seen = false;
  for await (const chunk of unzipChunks(open, (n) => n === name, limits)) {
    seen = true;
    if (chunk.data.length > 0) yield chunk.data;
  }
  if (!seen) throw new ClearingError('ARCHIVE_ENTRY_NOT_FOUND', { params: { name } });
}

export interface LocatedExport {
  /** The entry name of result.json. */
  readonly resultJson: string;
  /** The folder media paths are relative to: "" or "<folder>/". */
  readonly root: string;
}

/** Finds result.json at the root of the archive or inside one top-level folder. */
export function locateExport(entries: readonly ZipEntry[]): LocatedExport {
  const candidates = entries.filter((e) => !e.directory && /^(?:[^/]+\/)?result\.json$/.test(e.name));
  if (candidates.length === 0) throw new ClearingError('ARCHIVE_NO_EXPORT');
  if (candidates.length > 1) throw new ClearingError('ARCHIVE_SEVERAL_EXPORTS');
  const resultJson = candidates[0]!.name;
  return { resultJson, root: resultJson.slice(0, -'result.json'.length) };
}

/** Checks a message's media against the archive: present, and of the kind the message says. */
export function zipMediaCheck(entries: readonly ZipEntry[], root: string): MediaCheck {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return (path: string, expected: string): ImportProblem | null => {
    const entry = byName.get(root + path);
    if (!entry || entry.directory) return { code: 'MEDIA_FILE_MISSING', path, expected, found: null };
    if (!kindMatches(expected, entry.kind)) return { code: 'MEDIA_KIND_MISMATCH', path, expected, found: entry.kind };
    return null;
  };
}

export interface ZipExportSummary extends ExportSummary {
  readonly resultJson: string;
  readonly root: string;
  readonly entries: number;
}

/**
 * A zipped export, end to end: lists and checks the archive, finds
 * result.json, then streams it through the parser with each message's media
 * checked against the archive (problems go on the message). Throws like the
 * parser; what it yielded before a throw must be discarded.
 */
export async function* readTelegramZip(
  open: ZipSource,
  options: TelegramParseOptions & { readonly zip?: ZipLimits } = {},
): AsyncGenerator<TelegramEvent, ZipExportSummary, undefined> {
  const limits = options.zip ?? {};
  const entries = await listZip(open, limits);
  const { resultJson, root } = locateExport(entries);
  const parser = new TelegramExportParser({ ...options, checkMedia: options.checkMedia ?? zipMediaCheck(entries, root) });
  for await (const chunk of readZipEntry(open, resultJson, limits)) yield* parser.write(chunk);
  return { ...parser.end(), resultJson, root, entries: entries.length };
}
