import {
  asCaseId,
  asMemberId,
  asRecordId,
  caseCodeFrom,
  memberSigner,
  openCaseKeys,
  openStoredRecord,
  prepareOpenCase,
  prepareRecord,
  randomBytes,
  verifyMemberCertificate,
  type CaseCategory,
  type CaseChainHead,
  type CaseCompartmentName,
  type CaseId,
  type CaseKeys,
  type CertifiedMember,
  type MemberId,
  type RecordContent,
} from '../../src/core/index.js';
import type { CaseDetail } from '../../src/core/api/cases.js';
import { listRecords, openCase, readCase, writeRecord } from '../../src/server/cases/use-cases/index.js';
import { actorOf, certificateOf, type SeededMember, type World } from './use-cases.js';

/**
 * Casework as a browser does it, against the use cases directly: open a case
 * with real keys, audit and open them, seal and open records. For the
 * use-case tier; the HTTP and browser tiers go through the real client.
 */
export function certifiedOf(world: World, member: SeededMember): CertifiedMember {
  return verifyMemberCertificate(world.organization.publicKey, certificateOf(world, member, member.role, world.admin.id));
}

export function certifiedLookup(world: World, members: readonly SeededMember[]): (id: MemberId) => CertifiedMember | null {
  const map = new Map(members.map((m) => [m.id as string, certifiedOf(world, m)]));
  return (id) => map.get(id) ?? null;
}

export async function openTestCase(
  world: World,
  creator: SeededMember,
  options: { owner?: SeededMember | null; administrators?: readonly SeededMember[]; category?: CaseCategory } = {},
): Promise<{ caseId: CaseId; code: string }> {
  const caseId = asCaseId(crypto.randomUUID());
  const code = caseCodeFrom(randomBytes(6));
  const { request } = prepareOpenCase({
    caseId,
    code,
    category: options.category ?? 'mobilized',
    priority: 'normal',
    creator: { signer: memberSigner(creator.id, creator.keys), certified: certifiedOf(world, creator) },
    owner: options.owner ? certifiedOf(world, options.owner) : null,
    administrators: (options.administrators ?? [world.admin]).map((a) => certifiedOf(world, a)),
    at: new Date().toISOString(),
  });
  await openCase(world.database, { actorId: creator.id, request });
  return { caseId, code };
}

/** What a browser does on opening a case page: read it and audit it. */
export async function caseKeysFor(
  world: World,
  member: SeededMember,
  caseId: CaseId,
  everyone: readonly SeededMember[],
  knownHead: CaseChainHead | null = null,
): Promise<{ detail: CaseDetail; keys: CaseKeys }> {
  const detail = await readCase(world.database, { actor: actorOf(member), caseId });
  const keys = openCaseKeys({ detail, me: { memberId: member.id, keys: member.keys }, certified: certifiedLookup(world, everyone), knownHead });
  return { detail, keys };
}

export async function writeTestRecord(
  world: World,
  author: SeededMember,
  keys: CaseKeys,
  compartment: CaseCompartmentName,
  content: RecordContent,
  options: { recordId?: string; version?: number } = {},
): Promise<{ recordId: string; version: number }> {
  const keyring = keys.keyrings[compartment];
  if (!keyring) throw new Error(`${author.name} does not hold ${compartment}`);
  const recordId = asRecordId(options.recordId ?? crypto.randomUUID());
  const request = prepareRecord({
    caseId: keys.audited.caseId,
    compartment,
    recordId,
    version: options.version ?? 0,
    keyring,
    signer: memberSigner(author.id, author.keys),
    content,
  });
  return writeRecord(world.database, { actorId: author.id, caseId: keys.audited.caseId, request });
}

/** Every record of a compartment the member can open, as text. */
export async function readableTexts(
  world: World,
  member: SeededMember,
  keys: CaseKeys,
  compartment: CaseCompartmentName,
  everyone: readonly SeededMember[],
): Promise<string[]> {
  const keyring = keys.keyrings[compartment];
  if (!keyring) return [];
  const stored = await listRecords(world.database, { actorId: member.id, caseId: keys.audited.caseId, compartment });
  const lookup = certifiedLookup(world, everyone);
  return stored.map((s) => {
    const opened = openStoredRecord({ stored: s, caseId: keys.audited.caseId, compartment, keyring, author: lookup(asMemberId(s.authorId)) });
    if (!opened.ok) return `!${opened.problem}`;
    const c = opened.content;
    return c.kind === 'note' ? c.text : c.kind === 'task' ? c.title : JSON.stringify(c.fields);
  });
}
