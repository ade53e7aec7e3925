import { memberAbilities, type DirectoryEntry, type MemberAbilities, type MemberSummary, type PolicyActor } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import { accessRecordOf, listMembers, type MemberRow } from '../repository/index.js';

export type MemberSummaryWithAbilities = MemberSummary & { abilities: MemberAbilities };

function summary(m: MemberRow): MemberSummary {
  return {
    id: m.id,
    name: m.name,
    role: m.role,
    status: m.status,
    encryptionPublicKey: m.encryptionPublicKey,
    signingPublicKey: m.signingPublicKey,
    certificate: m.certificate,
    certifiedAt: m.certifiedAt ? new Date(m.certifiedAt).toISOString() : null,
    createdAt: new Date(m.createdAt).toISOString(),
    lastActiveAt: m.lastActiveAt ? new Date(m.lastActiveAt).toISOString() : null,
    totpEnabled: m.totpEnabledAt !== null,
  };
}

export interface ListAllMembersProps {
  /** Whose abilities to present on each member (Outline's presentPolicies). */
  actor: PolicyActor | null;
}

/** Every member, for administrators, each with what the caller may do to them. */
export async function listAllMembers(database: Database, props: ListAllMembersProps): Promise<MemberSummaryWithAbilities[]> {
  return (await listMembers(database.db)).map((m) => ({ ...summary(m), abilities: memberAbilities(props.actor, accessRecordOf(m)) }));
}

/** What any member's browser needs to share keys: certified, active members and their certificates (which the browser verifies). */
export async function readMemberDirectory(database: Database): Promise<DirectoryEntry[]> {
  return (await listMembers(database.db))
    .filter((m) => m.status === 'active' && m.certificate !== null)
    .map((m) => ({
      id: m.id,
      name: m.name,
      role: m.role,
      encryptionPublicKey: m.encryptionPublicKey,
      signingPublicKey: m.signingPublicKey,
      certificate: m.certificate,
    }));
}
