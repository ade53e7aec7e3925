/**
 * The roles a member can hold: administrators (invite, certify, run the server),
 * coordinators (first contact and casework), specialists (the harder cases),
 * verifiers (testimony panels), psychologists (their own notes only) and partners
 * (organizations that receive verified reports).
 */
export const roles = ['administrator', 'coordinator', 'specialist', 'verifier', 'psychologist', 'partner'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
