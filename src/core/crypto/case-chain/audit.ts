import { cryptoError } from '../primitives/errors.js';
import { fromBase64url } from '../primitives/bytes.js';
import { labels } from '../primitives/labels.js';
import type { Ed25519PublicKey } from '../primitives/keys.js';
import { verifyJson } from '../trust/signatures.js';
import type { CaseId, MemberId } from '../../domain/ids.js';
import { minimumHolders, type CaseCategory, type CaseCompartmentName } from '../../domain/cases.js';
import { caseCompartments } from '../../domain/compartments.js';
import { caseStatementHash, maxCaseStatements, parseCaseStatement, type CaseStatement } from './statement.js';

/** What a valid chain says about one compartment now. */
export interface AuditedCompartment {
  compartment: CaseCompartmentName;
  epoch: number;
  publicKey: string;
  holders: MemberId[];
  /** Public key of every epoch so far, by epoch. */
  publicKeys: string[];
  /** Who sealed the current epoch's key to each holder: the author of the statement that let them in. */
  grantors: Record<MemberId, MemberId>;
}

export interface CaseChainHead {
  seq: number;
  hash: string;
}

export interface AuditedCase {
  caseId: CaseId;
  code: string;
  category: CaseCategory;
  head: CaseChainHead;
  compartments: Record<CaseCompartmentName, AuditedCompartment>;
}

export interface CaseAuditOptions {
  caseId: CaseId;
  /**
   * The signing key of a member whose certificate the caller verified against
   * the pinned organization key (members who left included: their past
   * statements stay valid); null for anyone else.
   */
  signingKeyOf: (memberId: MemberId) => Ed25519PublicKey | null;
  /** The newest head this browser saw for the case: an older or different chain is a rollback. */
  knownHead?: CaseChainHead | null;
}

const broken = (reason: string, seq: number) => cryptoError('CASE_CHAIN_BROKEN', { reason, seq });
const unentitled = (reason: string, seq: number) => cryptoError('CASE_CHAIN_UNENTITLED', { reason, seq });

/**
 * Replays a case's chain and says who holds what, or throws: the box
 * auditor's check that every holder the server reports was let in by a
 * signed statement of someone who held the compartment at that moment.
 * CASE_CHAIN_MALFORMED (shape), CASE_CHAIN_BROKEN (order, links, signatures),
 * CASE_CHAIN_UNENTITLED (a grant or rotation by a non-holder, holders that
 * appear from nowhere, fewer than two holders), CASE_CHAIN_ROLLBACK (older
 * than, or forked from, `knownHead`).
 */
export function auditCaseChain(input: readonly unknown[], options: CaseAuditOptions): AuditedCase {
  if (!Array.isArray(input) || input.length === 0 || input.length > maxCaseStatements) throw cryptoError('CASE_CHAIN_MALFORMED', { field: 'chain' });
  const statements = input.map((s) => parseCaseStatement(s));
  const known = options.knownHead ?? null;
  if (known && known.seq >= statements.length) throw cryptoError('CASE_CHAIN_ROLLBACK', { seen: known.seq, served: statements.length - 1 });

  let code = '';
  let category: CaseCategory = 'conscript';
  const compartments = {} as Record<CaseCompartmentName, AuditedCompartment>;
  let prevHash: string | null = null;
  let hash = '';
  statements.forEach((s, seq) => {
    if (s.caseId !== options.caseId) throw broken('another case', seq);
    if (s.seq !== seq) throw broken('out of order', seq);
    if (s.prev !== prevHash) throw broken('not linked to the statement before', seq);
    const key = options.signingKeyOf(s.by);
    const { signature, ...unsigned } = s;
    if (!key || !verifyJson(key, labels.caseStatement, unsigned, fromBase64url(signature))) throw broken('signature', seq);
    apply(s, seq);
    hash = caseStatementHash(s);
    if (known && known.seq === seq && known.hash !== hash) throw cryptoError('CASE_CHAIN_ROLLBACK', { seen: known.seq, served: seq });
    prevHash = hash;
  });
  return { caseId: options.caseId, code, category, head: { seq: statements.length - 1, hash }, compartments };

  function apply(s: CaseStatement, seq: number): void {
    const body = s.body;
    if (body.kind === 'open') {
      if (seq !== 0) throw broken('opened twice', seq);
      code = body.code;
      category = body.category;
      for (const c of body.compartments) {
        if (!c.holders.includes(s.by)) throw unentitled('the opener is not a holder', seq);
        if (c.holders.length < minimumHolders) throw unentitled('fewer than two holders', seq);
        const grantors = Object.fromEntries(c.holders.map((id) => [id, s.by])) as Record<MemberId, MemberId>;
        compartments[c.compartment] = {
          compartment: c.compartment,
          epoch: 0,
          publicKey: c.publicKey,
          holders: [...c.holders],
          publicKeys: [c.publicKey],
          grantors,
        };
      }
      if (caseCompartments.some((name) => !compartments[name])) throw cryptoError('CASE_CHAIN_MALFORMED', { field: 'body.compartments' });
      return;
    }
    if (seq === 0) throw broken('the first statement must open the case', seq);
    const current = compartments[body.compartment];
    if (!current.holders.includes(s.by)) throw unentitled('not a holder', seq);
    if (body.kind === 'grant') {
      if (body.epoch !== current.epoch || body.publicKey !== current.publicKey) throw broken('a grant of another epoch', seq);
      if (current.holders.includes(body.member)) throw broken('granted twice', seq);
      current.holders = [...current.holders, body.member];
      current.grantors = { ...current.grantors, [body.member]: s.by };
      return;
    }
    if (body.epoch !== current.epoch + 1) throw broken('an epoch skipped', seq);
    if (current.publicKeys.includes(body.publicKey)) throw broken('a key used again', seq);
    const before = new Set(current.holders);
    const after = new Set([...body.holders, ...body.dropped]);
    if (after.size !== body.holders.length + body.dropped.length || after.size !== before.size || [...after].some((id) => !before.has(id))) {
      throw unentitled('holders that were not there before', seq);
    }
    if (body.holders.length < minimumHolders) throw unentitled('fewer than two holders', seq);
    if (!body.holders.includes(s.by)) throw unentitled('the rotating member dropped themselves', seq);
    current.epoch = body.epoch;
    current.publicKey = body.publicKey;
    current.holders = [...body.holders];
    current.publicKeys = [...current.publicKeys, body.publicKey];
    current.grantors = Object.fromEntries(body.holders.map((id) => [id, s.by])) as Record<MemberId, MemberId>;
  }
}

/** What the server says about a compartment: its current epoch and who has a key for it. */
export interface ServedHolders {
  compartment: CaseCompartmentName;
  epoch: number;
  holders: readonly MemberId[];
}

/**
 * The second half of the audit: the holders the server reports for each
 * compartment must be exactly those of the chain, at the chain's epoch.
 * CASE_HOLDERS_MISMATCH names the compartment otherwise.
 */
export function checkServedHolders(audited: AuditedCase, served: readonly ServedHolders[]): void {
  for (const name of caseCompartments) {
    const want = audited.compartments[name];
    const got = served.find((s) => s.compartment === name);
    const same =
      got !== undefined && got.epoch === want.epoch && got.holders.length === want.holders.length && got.holders.every((id) => want.holders.includes(id));
    if (!same) throw cryptoError('CASE_HOLDERS_MISMATCH', { compartment: name });
  }
  if (served.length !== caseCompartments.length) throw cryptoError('CASE_HOLDERS_MISMATCH', { compartment: 'count' });
}
