import type { CaseDetail } from '../../../core/api/cases.js';
import {
  asCaseId,
  caseCompartments,
  ClearingError,
  decideOnCase,
  parseCaseStatement,
  type CaseAccessRecord,
  type CaseAction,
  type CaseFlag,
  type CaseId,
  type PolicyActor,
} from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { Database } from '../../db/database.js';
import {
  countOverdueTasks,
  findCase,
  findCaseAccessRecord,
  findMemberKeys,
  listCompartments,
  listCurrentHolders,
  listEpochLinks,
  listFlags,
  listMyCurrentKeys,
  listPendingRemovals,
  listSpecialists,
  listStatements,
} from '../repository/index.js';
import { caseSummaryOf } from './case-summary.js';

export interface ReadCaseProps {
  actor: PolicyActor;
  caseId: CaseId;
}

const abilityActions = {
  update: 'case.update',
  assign: 'case.assign',
  escalate: 'case.escalate',
  timeline: 'case.timeline',
  revoke: 'case.revoke',
  grant: 'case.grant',
} as const satisfies Record<keyof CaseDetail['abilities'], CaseAction>;

/**
 * A case as its page needs it: metadata, the chain, the holders per
 * compartment, the caller's own sealed keys and the certificates the browser
 * needs to audit all of it. Serving the caller's keys is a read of them,
 * recorded in the audit log (the case's access log).
 */
export async function readCase(database: Database, props: ReadCaseProps): Promise<CaseDetail> {
  const { actor } = props;
  const caseId = asCaseId(props.caseId);
  const db = database.db;
  const row = await findCase(db, caseId);
  const access = await findCaseAccessRecord(db, caseId, actor.id);
  if (!row || !access || decideOnCase('case.read', actor, access) !== null) throw new ClearingError('CASE_NOT_FOUND', { status: 404 });
  // The caller's keys are read in the transaction that records the read: no key leaves without its audit entry.
  const myKeys = await db.transaction().execute(async (tx) => {
    const keys = await listMyCurrentKeys(tx, caseId, actor.id);
    if (keys.length > 0) await appendAuditEntry(tx, { action: 'case.keys_read', actorId: actor.id, subjectId: caseId, detail: { compartments: keys.length } });
    return keys;
  });
  const [specialists, flags, statements, compartments, holders, links, pending, overdue] = await Promise.all([
    listSpecialists(db, caseId),
    listFlags(db, caseId),
    listStatements(db, caseId),
    listCompartments(db, caseId),
    listCurrentHolders(db, caseId),
    listEpochLinks(db, caseId),
    listPendingRemovals(db, caseId),
    countOverdueTasks(db, caseId),
  ]);
  const named = new Set<string>(holders.map((h) => h.memberId));
  for (const s of statements) {
    const st = parseCaseStatement(s);
    named.add(st.by);
    if (st.body.kind === 'grant') named.add(st.body.member);
    if (st.body.kind === 'rotate') for (const id of [...st.body.holders, ...st.body.dropped]) named.add(id);
    if (st.body.kind === 'open') for (const c of st.body.compartments) for (const id of c.holders) named.add(id);
  }
  for (const s of specialists) named.add(s.memberId);
  if (row.ownerId) named.add(row.ownerId);
  const members = await findMemberKeys(db, [...named]);
  const abilities = {} as CaseDetail['abilities'];
  for (const [name, action] of Object.entries(abilityActions) as [keyof CaseDetail['abilities'], CaseAction][]) {
    abilities[name] = decideOnCase(action, actor, access as CaseAccessRecord) === null;
  }
  return {
    case: caseSummaryOf(row, {
      specialistIds: specialists.map((s) => s.memberId),
      flags: flags as CaseFlag[],
      overdueTasks: overdue,
      rotationPending: pending.some((p) => p.memberId !== actor.id && access.held.includes(p.compartment as never)),
    }),
    outcome: row.outcome,
    closedAt: row.closedAt?.toISOString() ?? null,
    specialists: specialists.map((s) => ({ memberId: s.memberId, kind: s.kind as 'referral' | 'transfer' })),
    chain: statements as CaseDetail['chain'],
    compartments: caseCompartments.map((compartment) => ({
      compartment,
      epoch: compartments.find((c) => c.compartment === compartment)?.epoch ?? 0,
      holders: holders.filter((h) => h.compartment === compartment).map((h) => h.memberId),
      pendingRemovals: pending
        .filter((p) => p.compartment === compartment)
        .map((p) => ({ memberId: p.memberId, reason: p.reason as 'revoked' | 'member_left' | 'renewal', requestedBy: p.requestedBy })),
      links: links.filter((l) => l.compartment === compartment).map((l) => ({ epoch: l.epoch, link: l.link })),
    })),
    myKeys: myKeys.map((k) => k.sealedKey) as CaseDetail['myKeys'],
    certificates: [...members.entries()]
      .filter(([, m]) => m.certificate !== null)
      .map(([memberId, m]) => ({ memberId, certificate: m.certificate as CaseDetail['certificates'][number]['certificate'], status: m.status })),
    abilities,
  };
}
