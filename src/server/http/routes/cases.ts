import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  caseCompartmentSchema,
  caseDetailSchema,
  caseListQuerySchema,
  caseListResponseSchema,
  caseParamsSchema,
  grantRequestSchema,
  openCaseRequestSchema,
  openCaseResponseSchema,
  pendingRotationSchema,
  recordListQuerySchema,
  recordParamsSchema,
  revokeRequestSchema,
  revokeResponseSchema,
  rotateRequestSchema,
  searchRequestSchema,
  searchResponseSchema,
  storedRecordSchema,
  writeRecordRequestSchema,
  writeRecordResponseSchema,
} from '../../../core/api/cases.js';
import { Type } from '../../../core/api/schema.js';
import { asCaseId, asMemberId } from '../../../core/index.js';
import type { Database } from '../../db/database.js';
import {
  findCaseByCode,
  grantCompartment,
  listCases,
  listPendingRotations,
  listRecords,
  openCase,
  readCase,
  readRecordHistory,
  revokeMember,
  rotateCompartment,
  searchRecords,
  writeRecord,
} from '../../cases/use-cases/index.js';
import { actorOf, policyActor } from '../authorize.js';
import { errorResponses } from '../schemas.js';

/** Cases, their chains and keys, records and search. Every body is ciphertext or metadata; the browser checks what comes back. */
export function caseRoutes(fastify: FastifyInstance, database: Database): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (request: Parameters<typeof actorOf>[0]) => {
    const a = policyActor(actorOf(request));
    if (!a) throw new Error('unreachable: the hook requires a session');
    return a;
  };
  const tags = ['cases'];

  app.post(
    '/api/cases',
    {
      config: { action: 'case.open' },
      bodyLimit: 8 * 1024 * 1024,
      schema: { tags, summary: 'Open a case sealed in the browser', body: openCaseRequestSchema, response: { 200: openCaseResponseSchema, ...errorResponses } },
    },
    async (request) => openCase(database, { actorId: actorOf(request).memberId, request: request.body }),
  );

  app.get(
    '/api/cases',
    {
      config: { action: 'cases.list' },
      schema: {
        tags,
        summary: 'One page of the cases the caller may see',
        querystring: caseListQuerySchema,
        response: { 200: caseListResponseSchema, ...errorResponses },
      },
    },
    async (request) => listCases(database, { actor: actor(request), query: request.query }),
  );

  app.get(
    '/api/cases/by-code/:code',
    {
      config: { action: 'cases.list' },
      schema: {
        tags,
        summary: "A case's id from its code",
        params: Type.Object({ code: Type.String({ maxLength: 12, pattern: '^[0-9A-Za-z -]+$' }) }),
        response: { 200: openCaseResponseSchema, ...errorResponses },
      },
    },
    async (request) => findCaseByCode(database, { actor: actor(request), code: request.params.code }),
  );

  app.get(
    '/api/cases/:caseId',
    {
      config: { action: 'case.read', resource: 'case' },
      schema: {
        tags,
        summary: 'A case with its chain, holders, the caller’s sealed keys and the certificates to audit them',
        params: caseParamsSchema,
        response: { 200: caseDetailSchema, ...errorResponses },
      },
    },
    async (request) => readCase(database, { actor: actor(request), caseId: asCaseId(request.params.caseId) }),
  );

  app.get(
    '/api/cases/:caseId/records',
    {
      config: { action: 'case.records', resource: 'case' },
      schema: {
        tags,
        summary: 'The newest version of each record of a compartment the caller holds',
        params: caseParamsSchema,
        querystring: recordListQuerySchema,
        response: { 200: Type.Array(storedRecordSchema), ...errorResponses },
      },
    },
    async (request) =>
      listRecords(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), compartment: request.query.compartment }),
  );

  app.get(
    '/api/cases/:caseId/records/:recordId/history',
    {
      config: { action: 'case.records', resource: 'case' },
      schema: {
        tags,
        summary: 'Every version of one record, newest first',
        params: recordParamsSchema,
        response: { 200: Type.Array(storedRecordSchema), ...errorResponses },
      },
    },
    async (request) =>
      readRecordHistory(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), recordId: request.params.recordId }),
  );

  app.post(
    '/api/cases/:caseId/records',
    {
      config: { action: 'case.writeRecord', resource: 'case' },
      bodyLimit: 24 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Store a sealed record or a new version of one (409 RECORD_CONFLICT if someone saved first)',
        params: caseParamsSchema,
        body: writeRecordRequestSchema,
        response: { 200: writeRecordResponseSchema, ...errorResponses },
      },
    },
    async (request) => writeRecord(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), request: request.body }),
  );

  app.post(
    '/api/cases/:caseId/grants',
    {
      config: { action: 'case.grant', resource: 'case' },
      schema: {
        tags,
        summary: 'A holder seals a compartment to one more member',
        params: caseParamsSchema,
        body: grantRequestSchema,
        response: { 200: Type.Object({ compartment: caseCompartmentSchema, memberId: Type.String() }), ...errorResponses },
      },
    },
    async (request) => grantCompartment(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), request: request.body }),
  );

  app.post(
    '/api/cases/:caseId/revocations',
    {
      config: { action: 'case.revoke', resource: 'case' },
      schema: {
        tags,
        summary: 'Take a member out of a case; the compartments they held wait for a rotation',
        params: caseParamsSchema,
        body: revokeRequestSchema,
        response: { 200: revokeResponseSchema, ...errorResponses },
      },
    },
    async (request) =>
      revokeMember(database, {
        actorId: actorOf(request).memberId,
        caseId: asCaseId(request.params.caseId),
        memberId: asMemberId(request.body.memberId),
        compartments: request.body.compartments,
      }),
  );

  app.post(
    '/api/cases/:caseId/rotations',
    {
      config: { action: 'case.rotate', resource: 'case' },
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'A new epoch of a compartment, sealed to the remaining holders',
        params: caseParamsSchema,
        body: rotateRequestSchema,
        response: { 200: Type.Object({ epoch: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => rotateCompartment(database, { actorId: actorOf(request).memberId, caseId: asCaseId(request.params.caseId), request: request.body }),
  );

  app.get(
    '/api/rotations/pending',
    {
      config: { action: 'cases.list' },
      schema: {
        tags,
        summary: 'Compartments waiting for a rotation that the caller can do',
        response: { 200: Type.Array(pendingRotationSchema), ...errorResponses },
      },
    },
    async (request) => listPendingRotations(database, { actorId: actorOf(request).memberId }),
  );

  app.post(
    '/api/search',
    {
      config: { action: 'cases.search' },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Records carrying blind tokens of every query word',
        body: searchRequestSchema,
        response: { 200: searchResponseSchema, ...errorResponses },
      },
    },
    async (request) => searchRecords(database, { actorId: actorOf(request).memberId, request: request.body }),
  );
}
