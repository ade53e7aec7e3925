/** JSON Schemas shared by routes (request validation and the OpenAPI document). */
export const roleSchema = { type: 'string', enum: ['administrator', 'coordinator', 'specialist', 'verifier', 'psychologist', 'partner'] } as const;
export const uuidSchema = { type: 'string', format: 'uuid', maxLength: 36 } as const;
export const base64url32Schema = { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } as const;
/** An Ed25519 signature, base64url. */
export const signatureSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{86}$' } as const;
export const tokenSchema = { type: 'string', minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' } as const;
/** Member names are pseudonyms chosen by the member: letters, digits, a few separators. */
export const memberNameSchema = { type: 'string', minLength: 2, maxLength: 64, pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]*$' } as const;
/** Crypto objects are checked by core parsers; here only their outer shape and size. */
export const cryptoObjectSchema = { type: 'object', maxProperties: 16 } as const;
export const organizationInfoSchema = {
  type: 'object',
  required: ['name', 'defaultLanguage', 'publicKey', 'fingerprint'],
  properties: {
    name: { type: 'string' },
    defaultLanguage: { type: 'string', enum: ['en', 'ru'] },
    publicKey: { type: ['string', 'null'] },
    fingerprint: { type: ['string', 'null'] },
  },
} as const;
export const okSchema = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean', const: true } } } as const;
export const errorResponses = {
  400: { $ref: 'ErrorEnvelope#' },
  401: { $ref: 'ErrorEnvelope#' },
  403: { $ref: 'ErrorEnvelope#' },
  404: { $ref: 'ErrorEnvelope#' },
  409: { $ref: 'ErrorEnvelope#' },
  410: { $ref: 'ErrorEnvelope#' },
  429: { $ref: 'ErrorEnvelope#' },
} as const;
