/** The roles a member can hold (FIELD.md, "The people"). */
export const roles = ['administrator', 'coordinator', 'specialist', 'verifier', 'psychologist', 'partner'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}
