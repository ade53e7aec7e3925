import { constantTimeEqual, fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import { isRole, type Role } from '../../domain/roles.js';
import type { MemberId } from '../../domain/ids.js';
import { encodeOrganizationPublicKey, organizationKeyFromPrivate, type OrganizationPrivateKey, type OrganizationPublicKey } from './organization.js';
import { signJson, verifyJson } from './signatures.js';

/**
 * The organization key's signature over an invitation: its id, role and
 * expiry. The server creates an administrator invitation only with one, so
 * only someone holding the organization key (a certified administrator's
 * browser) can bring in a new administrator; a server, or an administrator
 * without the key, cannot.
 * Signed: label "clearing/invitation-statement/v1", newline, JCS(body).
 */
export interface InvitationStatementBody {
  organizationKey: string;
  invitationId: string;
  role: Role;
  expiresAt: string;
  issuedBy: MemberId;
}
export interface InvitationStatement {
  v: 1;
  body: InvitationStatementBody;
  signature: string;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function signInvitationStatement(
  organizationPrivateKey: OrganizationPrivateKey,
  request: { invitationId: string; role: Role; expiresAt: string; issuedBy: MemberId },
): InvitationStatement {
  const body: InvitationStatementBody = {
    organizationKey: encodeOrganizationPublicKey(organizationKeyFromPrivate(organizationPrivateKey).publicKey),
    invitationId: request.invitationId,
    role: request.role,
    expiresAt: request.expiresAt,
    issuedBy: request.issuedBy,
  };
  const checked = parseInvitationStatement({ v: 1, body, signature: toBase64url(new Uint8Array(signatureLength)) }).body;
  return { v: 1, body: checked, signature: toBase64url(signJson(organizationPrivateKey, labels.invitationStatement, checked)) };
}

export function parseInvitationStatement(input: unknown): InvitationStatement {
  const r = new StrictReader('INVITATION_STATEMENT_INVALID', 4096);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'statement', ['v', 'body', 'signature']);
  r.literal(o.v, 'v', 1);
  const b = r.object(o.body, 'body', ['organizationKey', 'invitationId', 'role', 'expiresAt', 'issuedBy']);
  r.bytes(b.organizationKey, 'body.organizationKey', keyLength);
  const expiresAt = r.string(b.expiresAt, 'body.expiresAt', 40, isoInstant);
  if (Number.isNaN(Date.parse(expiresAt))) r.fail('body.expiresAt', 'not a date');
  r.bytes(o.signature, 'signature', signatureLength);
  return {
    v: 1,
    body: {
      organizationKey: b.organizationKey as string,
      invitationId: r.string(b.invitationId, 'body.invitationId', maxIdLength, idPattern),
      role: r.oneOf(b.role, 'body.role', isRole),
      expiresAt,
      issuedBy: r.string(b.issuedBy, 'body.issuedBy', maxIdLength, idPattern) as MemberId,
    },
    signature: o.signature as string,
  };
}

export function verifyInvitationStatement(organizationPublicKey: OrganizationPublicKey, input: unknown): InvitationStatementBody {
  const s = parseInvitationStatement(input);
  if (!constantTimeEqual(fromBase64url(s.body.organizationKey), organizationPublicKey))
    throw cryptoError('INVITATION_STATEMENT_INVALID', { field: 'body.organizationKey', reason: 'another key' });
  if (!verifyJson(organizationPublicKey, labels.invitationStatement, s.body, fromBase64url(s.signature))) {
    throw cryptoError('INVITATION_STATEMENT_INVALID', { field: 'signature', reason: 'does not verify' });
  }
  return s.body;
}
