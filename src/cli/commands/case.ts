/**
 * `clearing case export`: one case, decrypted on this computer with the
 * member's own keys, written as an age-encrypted tar archive
 * (src/core/cases/export-archive.ts) that opens with `age -d` and `tar -x`.
 *
 * The same checks as the browser come first: certificates against the
 * organization key the member's own bundle is bound to, then the case's
 * chain, holders and sealed keys (openCaseKeys). A case whose audit fails is
 * refused before anything is written.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { CaseDetail, CaseListResponse, StoredRecord } from '../../core/api/cases.js';
import type { CaseTasksResponse, TimelineResponse } from '../../core/api/casework.js';
import type { MyKeysResponse, KeyRotationsResponse, SessionInfo } from '../../core/api/members.js';
import { openCaseKeys } from '../../core/cases/case-keys.js';
import {
  archiveCaseMetadata,
  encryptCaseArchive,
  type ArchiveCompartment,
  type ArchiveMember,
  type ArchiveRecord,
  type ArchiveRecordVersion,
  type ArchiveTask,
  type ArchiveTimelineEntry,
} from '../../core/cases/export-archive.js';
import { openStoredRecord } from '../../core/cases/records.js';
import type { CaseKeyrings } from '../../core/cases/open-case.js';
import { decodeAnyRecipient } from '../../core/crypto/age/keys.js';
import { boundOrganizationKey } from '../../core/crypto/member-keys/bundle.js';
import { unlockMember } from '../../core/crypto/member-keys/member.js';
import { constantTimeEqual } from '../../core/crypto/primitives/bytes.js';
import { verifyMemberCertificate, type CertifiedMember } from '../../core/crypto/trust/certificate.js';
import { decodeOrganizationPublicKey, organizationFingerprint, type OrganizationPublicKey } from '../../core/crypto/trust/organization.js';
import { followKeyRotations } from '../../core/crypto/trust/rotation.js';
import { caseCompartments } from '../../core/domain/compartments.js';
import { normalizeCaseCode, type CaseCompartmentName } from '../../core/domain/cases.js';
import { asCaseId, asMemberId, type MemberId } from '../../core/domain/ids.js';
import { isClearingError } from '../../core/errors/index.js';
import { errorMessage } from '../../core/i18n/index.js';
import { CliFailure, fail } from '../fail.js';
import { language, t } from '../i18n.js';
import { ask } from '../prompt.js';
import type { ServerClient } from '../server-client.js';
import { resumeSession } from './session.js';

/** Errors of the case audit: the server (or someone between) is lying about the case. */
const tamperedCodes = /^(CASE_CHAIN_|CASE_HOLDERS_MISMATCH|SEALED_KEY_|EPOCH_LINK_|CERTIFICATE_)/;

interface ExportOptions {
  case: string;
  recipient: string[];
  out?: string;
  armor?: boolean;
}

/** The organization key to check certificates against: the one the member's own bundle binds, or one that signed rotations lead to from it. */
async function trustedOrganizationKey(client: ServerClient, bundle: unknown, session: SessionInfo): Promise<OrganizationPublicKey> {
  const bound = boundOrganizationKey(bundle);
  if (bound === null) throw new CliFailure('organizationKeyUnbound');
  const boundKey = decodeOrganizationPublicKey(bound);
  const offered = session.organization.publicKey;
  let offeredKey: OrganizationPublicKey;
  try {
    offeredKey = decodeOrganizationPublicKey(offered ?? '');
  } catch {
    throw new CliFailure('organizationKeyMismatch', { fingerprint: '-' });
  }
  if (constantTimeEqual(boundKey, offeredKey)) return boundKey;
  try {
    const { rotations } = await client.get<KeyRotationsResponse>('/api/organization/key-rotations');
    return followKeyRotations(boundKey, rotations, offeredKey);
  } catch {
    throw new CliFailure('organizationKeyMismatch', { fingerprint: organizationFingerprint(offeredKey) });
  }
}

async function findCase(client: ServerClient, code: string): Promise<string> {
  const list = await client.get<CaseListResponse>(`/api/cases?code=${encodeURIComponent(code)}`);
  const found = list.cases.find((c) => c.code === code);
  if (!found) throw new CliFailure('caseUnknown', { code, server: client.origin });
  return found.id;
}

function storedList(value: unknown): StoredRecord[] {
  if (Array.isArray(value)) return value as StoredRecord[];
  const o = (value ?? {}) as { records?: unknown; versions?: unknown };
  if (Array.isArray(o.records)) return o.records as StoredRecord[];
  if (Array.isArray(o.versions)) return o.versions as StoredRecord[];
  return [];
}

interface ExportCounts {
  records: number;
  versions: number;
  problems: number;
  historyMissing: boolean;
}

/**
 * The compartments the member holds, each fetched and opened only when the
 * archive gets to it. Every version a record has is asked for; a server
 * without record history gives the newest only (said at the end).
 */
function compartmentsOf(props: {
  client: ServerClient;
  caseId: string;
  keyrings: CaseKeyrings;
  epochs: Map<CaseCompartmentName, number>;
  member: (id: string) => ArchiveMember;
  certified: (id: MemberId) => CertifiedMember | null;
  counts: ExportCounts;
  bar: cliProgress.SingleBar | null;
  /** Each task record's newest title, as it is opened. */
  titles: Map<string, string>;
}): AsyncGenerator<ArchiveCompartment> {
  const { client, caseId, keyrings, counts, bar } = props;
  const open = (stored: StoredRecord, compartment: CaseCompartmentName, keyring: NonNullable<CaseKeyrings[CaseCompartmentName]>): ArchiveRecordVersion => {
    const opened = openStoredRecord({ stored, caseId: asCaseId(caseId), compartment, keyring, author: props.certified(asMemberId(stored.authorId)) });
    counts.versions++;
    if (!opened.ok) counts.problems++;
    return {
      version: stored.version,
      epoch: stored.epoch,
      author: props.member(stored.authorId),
      createdAt: stored.createdAt,
      signatureVerified: opened.verified,
      content: opened.ok ? opened.content : null,
      problem: opened.ok ? null : opened.problem,
    };
  };
  const history = async (recordId: string, newest: StoredRecord): Promise<StoredRecord[]> => {
    if (newest.version === 0 || counts.historyMissing) return [newest];
    try {
      const all = storedList(await client.get(`/api/cases/${caseId}/records/${recordId}/history`));
      const older = all.filter((r) => r.recordId === recordId && r.version < newest.version);
      return [newest, ...older];
    } catch (error) {
      // A server from before record history: the newest versions only, and the person is told.
      if (isClearingError(error) && error.code === 'ROUTE_NOT_FOUND') {
        counts.historyMissing = true;
        return [newest];
      }
      throw error;
    }
  };
  async function* records(compartment: CaseCompartmentName): AsyncGenerator<ArchiveRecord> {
    const keyring = keyrings[compartment]!;
    const list = storedList(await client.get(`/api/cases/${caseId}/records?compartment=${compartment}`));
    bar?.setTotal(bar.getTotal() + list.length);
    for (const newest of list) {
      const versions = (await history(newest.recordId, newest)).map((stored) => open(stored, compartment, keyring));
      const current = versions.find((v) => v.version === newest.version)?.content;
      if (current?.kind === 'task') props.titles.set(newest.recordId, current.title);
      counts.records++;
      bar?.increment();
      yield { recordId: newest.recordId, kind: newest.kind, versions };
    }
  }
  return (async function* () {
    for (const name of caseCompartments) {
      if (!keyrings[name]) continue;
      yield { name, epoch: props.epochs.get(name) ?? null, records: records(name) };
    }
  })();
}

/** The case's tasks; their titles are records, filled in as the archive opens them. */
async function tasksOf(client: ServerClient, caseId: string, titles: Map<string, string>): Promise<() => ArchiveTask[]> {
  const { tasks } = await client.get<CaseTasksResponse>(`/api/cases/${caseId}/tasks`);
  return () =>
    tasks.map((task) => ({
      id: task.taskId,
      title: titles.get(task.recordId) ?? null,
      state: task.state,
      dueOn: task.dueOn,
      assigneeId: task.assigneeId,
      compartment: task.compartment,
    }));
}

/** The case's timeline, every page, when the member may read it (its owner and administrators); empty otherwise. */
async function timelineOf(client: ServerClient, caseId: string, member: (id: string) => ArchiveMember): Promise<ArchiveTimelineEntry[]> {
  const entries: ArchiveTimelineEntry[] = [];
  let before: number | null = null;
  try {
    do {
      const page: TimelineResponse = await client.get<TimelineResponse>(`/api/cases/${caseId}/timeline?limit=500${before === null ? '' : `&before=${before}`}`);
      for (const e of page.entries) entries.push({ at: e.occurredAt, action: e.action, actor: e.actorId ? member(e.actorId) : null, detail: e.detail });
      before = page.nextBefore;
    } while (before !== null);
  } catch (error) {
    if (isClearingError(error) && error.status === 403) return [];
    throw error;
  }
  // Oldest first, as a timeline reads.
  return entries.reverse();
}

function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

async function exportCase(options: ExportOptions): Promise<void> {
  const code = normalizeCaseCode(options.case);
  if (!code) throw new CliFailure('caseCodeInvalid', { code: options.case });
  if (options.recipient.length === 0) throw new CliFailure('exportRecipientInvalid', { recipient: '' });
  for (const recipient of options.recipient) {
    try {
      decodeAnyRecipient(recipient.trim());
    } catch {
      throw new CliFailure('exportRecipientInvalid', { recipient });
    }
  }
  const out = resolve(options.out ?? `case-${code}.tar.age`);
  if (existsSync(out)) throw new CliFailure('exportOutExists', { file: out });

  const { client, session } = await resumeSession();
  const caseId = await findCase(client, code);
  const mine = await client.get<MyKeysResponse>('/api/me/keys');
  const passphrase = await ask(t('promptPassphrase'), { secret: true });
  process.stderr.write(`${t('derivingKeys')}\n`);
  const unlocked = await unlockMember(passphrase, mine.keyBundle);
  const organizationKey = await trustedOrganizationKey(client, mine.keyBundle, session);
  const detail = await client.get<CaseDetail>(`/api/cases/${caseId}`);

  const certificates = new Map<string, CertifiedMember | null>();
  const certified = (id: MemberId): CertifiedMember | null => {
    if (!certificates.has(id)) {
      const served = detail.certificates.find((c) => c.memberId === id);
      let member: CertifiedMember | null = null;
      try {
        member = served ? verifyMemberCertificate(organizationKey, served.certificate, { memberId: id }) : null;
      } catch {
        member = null;
      }
      certificates.set(id, member);
    }
    return certificates.get(id) ?? null;
  };
  const me = asMemberId(session.member.id);
  let keyrings: CaseKeyrings;
  try {
    keyrings = openCaseKeys({ detail, me: { memberId: me, keys: unlocked.keys }, certified, knownHead: null }).keyrings;
  } catch (error) {
    if (isClearingError(error) && tamperedCodes.test(error.code)) {
      throw new CliFailure('caseTampered', { code, reason: `${error.code}: ${errorMessage(language, error.code, { ...error.params })}` });
    }
    throw error;
  }
  if (Object.keys(keyrings).length === 0) throw new CliFailure('caseNothingHeld', { code });

  const member = (id: string): ArchiveMember => ({ id, name: certified(asMemberId(id))?.name ?? null });
  const counts: ExportCounts = { records: 0, versions: 0, problems: 0, historyMissing: false };
  const titles = new Map<string, string>();
  const tasks = await tasksOf(client, caseId, titles);
  const timeline = await timelineOf(client, caseId, member);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: `${t('exportProgress', { code })} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(0, 0);
  const archive = encryptCaseArchive(
    {
      case: archiveCaseMetadata(detail),
      exportedAt: new Date().toISOString(),
      exportedBy: { id: me, name: certified(me)?.name ?? session.member.name },
      server: client.origin,
      compartments: compartmentsOf({
        client,
        caseId,
        keyrings,
        epochs: new Map(detail.compartments.map((c) => [c.compartment, c.epoch])),
        member,
        certified,
        counts,
        bar,
        titles,
      }),
      tasks,
      timeline,
    },
    options.recipient.map((r) => r.trim()),
    { language, armor: options.armor === true },
  );

  // A temporary file beside the target, renamed into place only when the whole archive is written.
  const temp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`);
  let size = 0;
  // Interrupted (Ctrl+C), the half-written archive goes too.
  const interrupted = () => {
    try {
      unlinkSync(temp);
    } catch {
      // not created yet
    }
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      for await (const chunk of archive) {
        await handle.write(chunk);
        size += chunk.length;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (existsSync(out)) throw new CliFailure('exportOutExists', { file: out });
    renameSync(temp, out);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already gone
    }
    const code_ = (error as NodeJS.ErrnoException).code;
    if (typeof code_ === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      throw new CliFailure('exportWriteFailed', { file: out, reason: code_ });
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    bar?.stop();
  }
  const compartments = Object.keys(keyrings).length;
  process.stdout.write(
    `${t('exportWrote', { file: out, size: sizeText(size), code, records: counts.records, versions: counts.versions, compartments, recipients: options.recipient.length })}\n`,
  );
  if (counts.problems > 0) process.stdout.write(`${t('exportUnreadable', { count: counts.problems })}\n`);
  if (counts.historyMissing) process.stdout.write(`${t('exportHistoryMissing')}\n`);
  process.stdout.write(`${t('exportOpenHint', { file: out })}\n`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerCaseCommands(program: Command): void {
  const cases = program.command('case').description(t('caseDescription'));
  cases
    .command('export')
    .description(t('caseExportDescription'))
    .requiredOption('--case <code>', t('optCase'))
    .requiredOption('-r, --recipient <age1…>', t('optExportRecipient'), collect, [] as string[])
    .option('-o, --out <file>', t('optExportOut'))
    .option('-a, --armor', t('optExportArmor'))
    .action(async (options: ExportOptions) => {
      try {
        await exportCase(options);
      } catch (error) {
        fail(error);
      }
    });
}
