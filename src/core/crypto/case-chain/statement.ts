import { sha256 } from '@noble/hashes/sha2.js';
import { labelledJson, toBase64url } from '../primitives/bytes.js';
import { signatureLength, keyLength } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import { signJson, type MemberSigner } from '../trust/signatures.js';
import type { CaseId, MemberId } from '../../domain/ids.js';
import { caseCategories, caseCodePattern, type CaseCategory, type CaseCompartmentName } from '../../domain/cases.js';
import { caseCompartments } from '../../domain/compartments.js';
import { maxEpoch } from '../compartments/reference.js';

/**
 * A case's chain: the signed statements that say who holds each of its
 * compartments, in order, each linked to the hash of the one before (as a
 * Keybase team's sigchain). The server stores and serves the chain; it cannot
 * write a statement, because each is signed by the member who made it, and it
 * cannot drop one unnoticed by a browser that has seen it (./audit.ts).
 *
 * - `open`: the case's code and category and, per compartment, its epoch-0
 *   public key and first holders;
 * - `grant`: a holder sealed the compartment's current key to one more member;
 * - `rotate`: a new epoch with its public key and its holders: the previous
 *   holders minus `dropped` (a revocation, or a member who left).
 */
export type RotationReason = 'revoked' | 'member_left' | 'renewal';
export const rotationReasons = ['revoked', 'member_left', 'renewal'] as const;

export interface OpenedCompartment {
  compartment: CaseCompartmentName;
  publicKey: string;
  holders: MemberId[];
}

export type CaseStatementBody =
  | { kind: 'open'; code: string; category: CaseCategory; compartments: OpenedCompartment[] }
  | { kind: 'grant'; compartment: CaseCompartmentName; epoch: number; publicKey: string; member: MemberId }
  | { kind: 'rotate'; compartment: CaseCompartmentName; epoch: number; publicKey: string; holders: MemberId[]; dropped: MemberId[]; reason: RotationReason };

export interface CaseStatement {
  v: 1;
  caseId: CaseId;
  seq: number;
  /** Hash of the statement before (./statement.ts `caseStatementHash`), null for the opening one. */
  prev: string | null;
  by: MemberId;
  /** When the author's browser made it (ISO 8601, UTC); informative, the order is `seq`. */
  at: string;
  body: CaseStatementBody;
  signature: string;
}

export type UnsignedCaseStatement = Omit<CaseStatement, 'signature' | 'v'>;

export const maxCaseStatements = 100_000;
export const maxHolders = 1_000;

export function signCaseStatement(statement: UnsignedCaseStatement, signer: MemberSigner): CaseStatement {
  if (statement.by !== signer.memberId) throw new RangeError('a statement is signed by its author');
  const unsigned = { v: 1 as const, ...statement };
  return { ...unsigned, signature: toBase64url(signJson(signer.signingPrivateKey, labels.caseStatement, unsigned)) };
}

/** What the next statement links to. */
export function caseStatementHash(statement: CaseStatement): string {
  return toBase64url(sha256(labelledJson(labels.caseStatementHash, statement)));
}

const fields = ['v', 'caseId', 'seq', 'prev', 'by', 'at', 'body', 'signature'] as const;
const isoPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const hashPattern = /^[A-Za-z0-9_-]{43}$/;

const isCaseCompartment = (value: unknown): value is CaseCompartmentName =>
  typeof value === 'string' && (caseCompartments as readonly string[]).includes(value);
const isCategory = (value: unknown): value is CaseCategory => typeof value === 'string' && (caseCategories as readonly string[]).includes(value);
const isReason = (value: unknown): value is RotationReason => typeof value === 'string' && (rotationReasons as readonly string[]).includes(value);

function memberList(r: StrictReader, value: unknown, field: string, min: number): MemberId[] {
  if (!Array.isArray(value) || value.length < min || value.length > maxHolders) r.fail(field, 'not a list of members of the right length');
  const list = (value as unknown[]).map((id, i) => r.string(id, `${field}[${i}]`, maxIdLength, idPattern) as MemberId);
  if (new Set(list).size !== list.length) r.fail(field, 'a member is listed twice');
  return list;
}

function publicKey(r: StrictReader, value: unknown, field: string): string {
  r.bytes(value, field, keyLength);
  return value as string;
}

function parseBody(r: StrictReader, value: unknown): CaseStatementBody {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'open') {
    const o = r.object(value, 'body', ['kind', 'code', 'category', 'compartments']);
    if (!Array.isArray(o.compartments) || o.compartments.length !== caseCompartments.length) r.fail('body.compartments', 'every compartment once');
    const compartments = (o.compartments as unknown[]).map((c, i) => {
      const item = r.object(c, `body.compartments[${i}]`, ['compartment', 'publicKey', 'holders']);
      return {
        compartment: r.oneOf(item.compartment, `body.compartments[${i}].compartment`, isCaseCompartment),
        publicKey: publicKey(r, item.publicKey, `body.compartments[${i}].publicKey`),
        holders: memberList(r, item.holders, `body.compartments[${i}].holders`, 1),
      };
    });
    if (new Set(compartments.map((c) => c.compartment)).size !== compartments.length) r.fail('body.compartments', 'a compartment twice');
    return {
      kind,
      code: r.string(o.code, 'body.code', 7, caseCodePattern),
      category: r.oneOf(o.category, 'body.category', isCategory),
      compartments,
    };
  }
  if (kind === 'grant') {
    const o = r.object(value, 'body', ['kind', 'compartment', 'epoch', 'publicKey', 'member']);
    return {
      kind,
      compartment: r.oneOf(o.compartment, 'body.compartment', isCaseCompartment),
      epoch: r.integer(o.epoch, 'body.epoch', 0, maxEpoch),
      publicKey: publicKey(r, o.publicKey, 'body.publicKey'),
      member: r.string(o.member, 'body.member', maxIdLength, idPattern) as MemberId,
    };
  }
  if (kind === 'rotate') {
    const o = r.object(value, 'body', ['kind', 'compartment', 'epoch', 'publicKey', 'holders', 'dropped', 'reason']);
    return {
      kind,
      compartment: r.oneOf(o.compartment, 'body.compartment', isCaseCompartment),
      epoch: r.integer(o.epoch, 'body.epoch', 1, maxEpoch),
      publicKey: publicKey(r, o.publicKey, 'body.publicKey'),
      holders: memberList(r, o.holders, 'body.holders', 1),
      dropped: memberList(r, o.dropped, 'body.dropped', 0),
      reason: r.oneOf(o.reason, 'body.reason', isReason),
    };
  }
  return r.fail('body.kind', 'unknown kind');
}

/** Strict shape check; says nothing about the signature or the chain (./audit.ts). */
export function parseCaseStatement(input: unknown): CaseStatement {
  const r = new StrictReader('CASE_CHAIN_MALFORMED', 256 * 1024);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'statement', fields);
  r.literal(o.v, 'v', 1);
  const statement: CaseStatement = {
    v: 1,
    caseId: r.string(o.caseId, 'caseId', maxIdLength, idPattern) as CaseId,
    seq: r.integer(o.seq, 'seq', 0, maxCaseStatements),
    prev: o.prev === null ? null : r.string(o.prev, 'prev', 43, hashPattern),
    by: r.string(o.by, 'by', maxIdLength, idPattern) as MemberId,
    at: r.string(o.at, 'at', 30, isoPattern),
    body: parseBody(r, o.body),
    signature: o.signature as string,
  };
  r.bytes(o.signature, 'signature', signatureLength);
  return statement;
}
