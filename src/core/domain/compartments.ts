/** Compartments of a case, each with its own keys, and the organization-wide ones (docs/security.md, promise 2). */
export const caseCompartments = ['identity', 'contact', 'logistics', 'testimony', 'evidence', 'support', 'legal'] as const;
export const organizationCompartments = ['intake', 'safety'] as const;
export const compartmentNames = [...caseCompartments, ...organizationCompartments] as const;
export type CompartmentName = (typeof compartmentNames)[number];

export function isCompartmentName(value: unknown): value is CompartmentName {
  return typeof value === 'string' && (compartmentNames as readonly string[]).includes(value);
}
