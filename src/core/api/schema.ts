/**
 * Building blocks of the request and response schemas (TypeBox: JSON Schema
 * values with their TypeScript types attached). Each endpoint's shape is
 * defined once in src/core/api/<area>.ts; the server validates with it, the
 * OpenAPI document is made from it, and the web app and tests use the types
 * derived from it. Enumerations come from the domain's constants.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { roles } from '../domain/roles.js';
import { sessionStages } from '../domain/members.js';
import { languages } from '../i18n/languages.js';

export { Type, type Static, type TSchema };

/** `{ type: 'string', enum: [...] }` from a constant list, typed as its union. */
export function stringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** The same schema with `null` allowed beside its one type (`type: [t, 'null']`). */
export function nullable<S extends TSchema & { type: string }>(schema: S) {
  return Type.Unsafe<Static<S> | null>({ ...schema, type: [schema.type, 'null'] });
}

/** A value core parses itself (a key bundle, a certificate, a signed list): the type stays `unknown`. */
export function opaque(schema: Record<string, unknown>) {
  return Type.Unsafe<unknown>(schema);
}

export const roleSchema = stringEnum(roles);
export const sessionStageSchema = stringEnum(sessionStages);
export const languageSchema = stringEnum(languages);
export const uuidSchema = Type.String({ format: 'uuid', maxLength: 36 });
export const base64url32Schema = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
/** An Ed25519 signature, base64url. */
export const signatureSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' });
export const tokenSchema = Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' });
/** Member names are pseudonyms chosen by the member: letters, digits, a few separators. */
export const memberNameSchema = Type.String({ minLength: 2, maxLength: 64, pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]*$' });
/** A six-digit TOTP code, spaces allowed. */
export const totpCodeSchema = Type.String({ pattern: '^[0-9 ]{6,8}$' });
export const recoveryCodeSchema = Type.String({ minLength: 16, maxLength: 40 });
/** Crypto objects are checked by core parsers; here only their outer shape and size. */
export const cryptoObjectSchema = opaque({ type: 'object', maxProperties: 16 });
/** A crypto object in a response: passed through whole. */
export const anyObjectSchema = opaque({ type: 'object', additionalProperties: true });
export const anyObjectOrNullSchema = opaque({ type: ['object', 'null'], additionalProperties: true });
export const idParamsSchema = Type.Object({ id: uuidSchema });
export type IdParams = Static<typeof idParamsSchema>;

export const okSchema = Type.Object({ ok: Type.Literal(true) });
/** `{ ok: true }` as every state change without a result answers. */
export type Ok = Static<typeof okSchema>;
