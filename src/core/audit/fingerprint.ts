import { fingerprintWithLabel } from '../crypto/member-keys/fingerprint.js';
import { labels } from '../crypto/primitives/labels.js';

/**
 * The log key in the same 60-digit form as other fingerprints, so an
 * administrator can compare what a browser pinned with what `clearing audit
 * verify` reads from the database.
 */
export function auditLogKeyFingerprint(publicKey: Uint8Array): string {
  return fingerprintWithLabel(labels.auditLogKeyFingerprint, [publicKey]);
}
