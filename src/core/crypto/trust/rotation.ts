import { constantTimeEqual, fromBase64url, toBase64url } from '../primitives/bytes.js';
import { cryptoError } from '../primitives/errors.js';
import { keyLength, signatureLength } from '../primitives/keys.js';
import { labels } from '../primitives/labels.js';
import { idPattern, maxIdLength, StrictReader } from '../primitives/strict.js';
import type { MemberId } from '../../domain/ids.js';
import { decodeOrganizationPublicKey, encodeOrganizationPublicKey, type OrganizationKeyPair, type OrganizationPublicKey } from './organization.js';
import { signJson, verifyJson } from './signatures.js';

/**
 * The outgoing organization key's signature over the key that replaces it.
 * A browser that pinned the old key follows a chain of these to the key the
 * server now presents, and moves its pin without asking anyone; a key the
 * chain does not reach is a trust failure, as before.
 * Signed by the previous key: label "clearing/organization-key-rotation/v1", newline, JCS(body).
 */
export interface KeyRotationBody {
  previousKey: string;
  newKey: string;
  issuedAt: string;
  issuedBy: MemberId;
}
export interface KeyRotationStatement {
  v: 1;
  body: KeyRotationBody;
  signature: string;
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function signKeyRotation(
  previous: OrganizationKeyPair,
  next: OrganizationPublicKey,
  issuedBy: MemberId,
  issuedAt = new Date().toISOString(),
): KeyRotationStatement {
  const body: KeyRotationBody = { previousKey: encodeOrganizationPublicKey(previous.publicKey), newKey: encodeOrganizationPublicKey(next), issuedAt, issuedBy };
  const checked = parseKeyRotation({ v: 1, body, signature: toBase64url(new Uint8Array(signatureLength)) }).body;
  return { v: 1, body: checked, signature: toBase64url(signJson(previous.privateKey, labels.organizationKeyRotation, checked)) };
}

export function parseKeyRotation(input: unknown): KeyRotationStatement {
  const r = new StrictReader('KEY_ROTATION_INVALID', 4096);
  const raw = r.json(input);
  r.refuseNewerVersion(raw, 1);
  const o = r.object(raw, 'rotation', ['v', 'body', 'signature']);
  r.literal(o.v, 'v', 1);
  const b = r.object(o.body, 'body', ['previousKey', 'newKey', 'issuedAt', 'issuedBy']);
  r.bytes(b.previousKey, 'body.previousKey', keyLength);
  r.bytes(b.newKey, 'body.newKey', keyLength);
  if (b.previousKey === b.newKey) r.fail('body.newKey', 'same as the previous key');
  const issuedAt = r.string(b.issuedAt, 'body.issuedAt', 40, isoInstant);
  r.bytes(o.signature, 'signature', signatureLength);
  return {
    v: 1,
    body: {
      previousKey: b.previousKey as string,
      newKey: b.newKey as string,
      issuedAt,
      issuedBy: r.string(b.issuedBy, 'body.issuedBy', maxIdLength, idPattern) as MemberId,
    },
    signature: o.signature as string,
  };
}

/** Checks one statement against the key it claims to replace; returns the new key. */
export function verifyKeyRotation(previous: OrganizationPublicKey, input: unknown): OrganizationPublicKey {
  const s = parseKeyRotation(input);
  if (!constantTimeEqual(fromBase64url(s.body.previousKey), previous))
    throw cryptoError('KEY_ROTATION_INVALID', { field: 'body.previousKey', reason: 'another key' });
  if (!verifyJson(previous, labels.organizationKeyRotation, s.body, fromBase64url(s.signature)))
    throw cryptoError('KEY_ROTATION_INVALID', { field: 'signature', reason: 'does not verify' });
  return decodeOrganizationPublicKey(s.body.newKey);
}

/**
 * Follows the statements (oldest first) from `from` to `to`. Statements
 * before `from` are skipped (a browser that pinned a later key); a gap or a
 * statement not signed by the key before it stops the walk: KEY_ROTATION_BROKEN.
 */
export function followKeyRotations(from: OrganizationPublicKey, statements: readonly unknown[], to: OrganizationPublicKey): OrganizationPublicKey {
  let current = from;
  if (constantTimeEqual(current, to)) return current;
  let started = false;
  for (const raw of statements) {
    const s = parseKeyRotation(raw);
    if (!started) {
      if (!constantTimeEqual(fromBase64url(s.body.previousKey), current)) continue;
      started = true;
    }
    current = verifyKeyRotation(current, s);
    if (constantTimeEqual(current, to)) return current;
  }
  throw cryptoError('KEY_ROTATION_BROKEN');
}
