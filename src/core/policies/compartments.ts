import type { CaseCategory, CaseCompartmentName, EscalationKind } from '../domain/cases.js';
import type { MemberId } from '../domain/ids.js';
import type { Role } from '../domain/roles.js';

/**
 * The organization's compartment policy: who may hold each compartment of a
 * case, who is sealed in when a case is opened, and what an escalation or a
 * handover grants. The browser follows it when it seals keys; the server
 * refuses grants to members it does not allow (a second wall: the browser's
 * audit of signed grants is the first). One table per category, so an
 * organization can make, say, `legal` of officer cases wider than others'.
 */
export type CompartmentRoles = Readonly<Record<CaseCompartmentName, readonly Role[]>>;

const casework: readonly Role[] = ['administrator', 'coordinator', 'specialist'];
const withVerifiers: readonly Role[] = [...casework, 'verifier'];

const defaultHolding: CompartmentRoles = {
  identity: withVerifiers,
  contact: casework,
  logistics: casework,
  testimony: withVerifiers,
  evidence: withVerifiers,
  support: [...casework, 'psychologist'],
  legal: withVerifiers,
};

export const compartmentPolicy: Readonly<Record<CaseCategory, CompartmentRoles>> = {
  conscript: defaultHolding,
  mobilized: defaultHolding,
  contract: defaultHolding,
  officer: defaultHolding,
  family_member: defaultHolding,
};

/** Roles that open cases and hand compartments on; a psychologist or verifier holds, but does not grant. */
export const grantingRoles: readonly Role[] = casework;

export function mayHoldCompartment(category: CaseCategory, compartment: CaseCompartmentName, role: Role): boolean {
  return compartmentPolicy[category][compartment].includes(role);
}

export function mayGrantCompartments(role: Role): boolean {
  return grantingRoles.includes(role);
}

/**
 * Who is sealed in when a case opens: the member who opens it, the coordinator
 * it is assigned to, and the organization's certified administrators, who
 * keep every case reachable if its coordinator leaves (no case is ever lost).
 * Members the policy does not allow for a compartment are left out of it.
 */
export function openingHolders(props: {
  category: CaseCategory;
  compartment: CaseCompartmentName;
  creator: { id: MemberId; role: Role };
  owner: { id: MemberId; role: Role } | null;
  administrators: readonly { id: MemberId; role: Role }[];
}): MemberId[] {
  const candidates = [props.creator, ...(props.owner ? [props.owner] : []), ...props.administrators];
  const out: MemberId[] = [];
  for (const member of candidates) {
    if (mayHoldCompartment(props.category, props.compartment, member.role) && !out.includes(member.id)) out.push(member.id);
  }
  return out;
}

/** What a specialist is granted on escalation: everything but `support` (psychological notes stay with who holds them). */
export function escalationCompartments(_kind: EscalationKind): readonly CaseCompartmentName[] {
  return ['identity', 'contact', 'logistics', 'testimony', 'evidence', 'legal'];
}
