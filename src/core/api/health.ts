/** Liveness and readiness, for probes. */
import { stringEnum, Type, type Static } from './schema.js';

export const healthResponseSchema = Type.Object({ status: Type.Literal('ok') });
export type HealthResponse = Static<typeof healthResponseSchema>;
export const databaseKinds = ['pglite', 'postgres'] as const;
export const readyResponseSchema = Type.Object({ status: Type.Literal('ready'), database: stringEnum(databaseKinds), migrations: Type.Integer() });
export type ReadyResponse = Static<typeof readyResponseSchema>;
