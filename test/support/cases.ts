import { sql } from 'kysely';
import {
  asCaseId,
  asRecordId,
  caseCompartments,
  type CaseCategory,
  type CaseCompartmentName,
  type CaseId,
  type CaseStatus,
  type MemberId,
  type RecordId,
} from '../../src/core/index.js';
import type { Database } from '../../src/server/db/database.js';

/**
 * Seeds casework rows straight into the database for the workflow tests,
 * standing in for opening a case (which has its own use case and tests):
 * a case row, its compartments at epoch 0, and grants with placeholder
 * sealed keys for the members named as holders. Nothing here is a valid
 * chain or a real sealed key; the workflow use cases do not read them.
 */
export interface SeededCase {
  id: CaseId;
  code: string;
}

let codes = 0;
/** Distinct, valid case codes (the alphabet has no 0, 1, I, L, O, U, V). */
function nextCode(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTWXYZ';
  let n = codes++ + Math.floor(Math.random() * 1_000_000) * 1000;
  let out = '';
  for (let i = 0; i < 6; i++) {
    out += alphabet[n % alphabet.length];
    n = Math.floor(n / alphabet.length);
  }
  return `${out.slice(0, 3)}-${out.slice(3)}`;
}

export async function seedCaseForWorkflowTests(
  database: Database,
  props: {
    createdBy: MemberId;
    ownerId?: MemberId | null;
    status?: CaseStatus;
    category?: CaseCategory;
    /** Members who hold every compartment (or those listed in `compartments`). */
    holders?: readonly MemberId[];
    compartments?: readonly CaseCompartmentName[];
    specialists?: readonly MemberId[];
  },
): Promise<SeededCase> {
  const id = asCaseId(crypto.randomUUID());
  const code = nextCode();
  const compartments = props.compartments ?? caseCompartments;
  await database.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('cases')
      .values({
        id,
        code,
        status: props.status ?? 'new',
        category: props.category ?? 'conscript',
        owner_id: props.ownerId === undefined ? props.createdBy : props.ownerId,
        created_by: props.createdBy,
        ...(props.status === 'closed' ? { outcome: 'other', closed_at: new Date() } : {}),
      })
      .execute();
    for (const compartment of caseCompartments) {
      await tx.insertInto('compartments').values({ case_id: id, compartment }).execute();
      await tx
        .insertInto('compartment_epochs')
        .values({ case_id: id, compartment, epoch: 0, public_key: 'placeholder', created_by: props.createdBy })
        .execute();
    }
    for (const member of props.holders ?? []) {
      for (const compartment of compartments) {
        await tx
          .insertInto('compartment_grants')
          .values({ case_id: id, compartment, epoch: 0, member_id: member, sealed_key: JSON.stringify({ placeholder: true }), granted_by: props.createdBy })
          .execute();
      }
    }
    for (const member of props.specialists ?? []) {
      await tx.insertInto('case_specialists').values({ case_id: id, member_id: member, kind: 'referral', added_by: props.createdBy }).execute();
    }
  });
  return { id, code };
}

/** Grants one more compartment of a seeded case to a member (a placeholder key). */
export async function seedGrantForWorkflowTests(
  database: Database,
  caseId: CaseId,
  compartment: CaseCompartmentName,
  memberId: MemberId,
  grantedBy: MemberId,
): Promise<void> {
  await database.db
    .insertInto('compartment_grants')
    .values({ case_id: caseId, compartment, epoch: 0, member_id: memberId, sealed_key: JSON.stringify({ placeholder: true }), granted_by: grantedBy })
    .execute();
}

/** The head of a task's title record, as the records endpoint would leave it (no sealed body: tasks only check it exists). */
export async function seedTaskRecordForWorkflowTests(database: Database, caseId: CaseId, compartment: CaseCompartmentName): Promise<RecordId> {
  const id = asRecordId(crypto.randomUUID());
  await database.db.insertInto('record_heads').values({ id, case_id: caseId, compartment, kind: 'task', version: 0 }).execute();
  return id;
}

/** Moves a task's due day into the past (or anywhere) without the use case, for the overdue notices. */
export async function setTaskDueForWorkflowTests(database: Database, taskId: string, dueOn: string): Promise<void> {
  await sql`UPDATE case_tasks SET due_on = ${dueOn}::date WHERE id = ${taskId}`.execute(database.db);
}
