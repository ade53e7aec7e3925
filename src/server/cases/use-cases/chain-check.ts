import {
  asCaseId,
  auditCaseChain,
  ClearingError,
  decodeEd25519PublicKey,
  isClearingError,
  parseCaseStatement,
  type AuditedCase,
  type CaseId,
  type CaseStatement,
  type MemberId,
} from '../../../core/index.js';
import type { Executor } from '../../db/executor.js';
import { appendStatement, findMemberKeys, listStatements, lockCase, type CaseRow } from '../repository/index.js';

/** A case locked for a change, or CASE_NOT_FOUND. */
export async function lockCaseOrFail(tx: Executor, caseId: CaseId): Promise<CaseRow> {
  const row = await lockCase(tx, caseId);
  if (!row) throw new ClearingError('CASE_NOT_FOUND', { status: 404 });
  return row;
}

export function refuseClosed(row: CaseRow): void {
  if (row.status === 'closed') throw new ClearingError('CASE_CLOSED', { status: 409 });
}

function idsOf(statements: readonly CaseStatement[]): string[] {
  const ids = new Set<string>();
  for (const s of statements) {
    ids.add(s.by);
    const b = s.body;
    if (b.kind === 'open') for (const c of b.compartments) for (const id of c.holders) ids.add(id);
    if (b.kind === 'grant') ids.add(b.member);
    if (b.kind === 'rotate') for (const id of [...b.holders, ...b.dropped]) ids.add(id);
  }
  return [...ids];
}

/**
 * The server's second wall behind the browsers' audit: a new statement must
 * be the actor's, signed with their key, and continue the stored chain as
 * core's auditor replays it (holders only, links, no skipped epoch). Runs in
 * the caller's transaction, with the case row locked. Returns the chain as
 * it stands with the statement, and stores the statement.
 */
export async function appendCheckedStatement(
  tx: Executor,
  caseId: CaseId,
  actorId: MemberId,
  input: unknown,
): Promise<{ statement: CaseStatement; audited: AuditedCase; keys: Awaited<ReturnType<typeof findMemberKeys>> }> {
  let statement: CaseStatement;
  try {
    statement = parseCaseStatement(input);
  } catch (error) {
    if (isClearingError(error)) throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, cause: error, params: { reason: error.code } });
    throw error;
  }
  if (statement.by !== actorId || statement.caseId !== caseId)
    throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, params: { reason: 'author' } });
  const stored = (await listStatements(tx, caseId)).map((s) => parseCaseStatement(s));
  if (statement.seq !== stored.length) throw new ClearingError('CASE_CHAIN_CONFLICT', { status: 409 });
  const chain = [...stored, statement];
  const keys = await findMemberKeys(tx, idsOf(chain));
  let audited: AuditedCase;
  try {
    audited = auditCaseChain(chain, {
      caseId: asCaseId(caseId),
      signingKeyOf: (id) => {
        const key = keys.get(id)?.signingPublicKey;
        return key ? decodeEd25519PublicKey(key) : null;
      },
    });
  } catch (error) {
    if (isClearingError(error)) throw new ClearingError('CASE_STATEMENT_REJECTED', { status: 400, cause: error, params: { reason: error.code } });
    throw error;
  }
  if (!(await appendStatement(tx, caseId, statement.seq, statement))) throw new ClearingError('CASE_CHAIN_CONFLICT', { status: 409 });
  return { statement, audited, keys };
}

/** An active member whose keys the organization certified, or null. */
export function activeCertified(keys: Awaited<ReturnType<typeof findMemberKeys>>, id: string) {
  const member = keys.get(id);
  return member && member.status === 'active' && member.certified ? member : null;
}
