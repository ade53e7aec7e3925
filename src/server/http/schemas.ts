/**
 * What every /api route may answer besides its success: the error envelope
 * (src/core/api/errors.ts). Request and response shapes live in src/core/api.
 */
export const errorResponses = {
  400: { $ref: 'ErrorEnvelope#' },
  401: { $ref: 'ErrorEnvelope#' },
  403: { $ref: 'ErrorEnvelope#' },
  404: { $ref: 'ErrorEnvelope#' },
  409: { $ref: 'ErrorEnvelope#' },
  410: { $ref: 'ErrorEnvelope#' },
  429: { $ref: 'ErrorEnvelope#' },
} as const;
