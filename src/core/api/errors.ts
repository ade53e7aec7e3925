/** Every error response has this one shape, with a stable code (src/core/errors/codes.ts). */
import { Type, type Static } from './schema.js';

export const errorEnvelopeSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      /** Let the web app word the message in the language chosen in the app, not the browser's. */
      params: Type.Optional(Type.Unsafe<Record<string, string | number>>({ type: 'object', additionalProperties: { type: ['string', 'number'] } })),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorEnvelope' },
);
export type ErrorEnvelope = Static<typeof errorEnvelopeSchema>;
