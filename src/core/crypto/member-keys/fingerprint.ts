import { concatBytes, constantTimeEqual, utf8Encode } from '../primitives/bytes.js';
import { hkdfSha256 } from '../primitives/hkdf.js';
import { labels } from '../primitives/labels.js';

/*
 * Fingerprints people compare by reading aloud: 12 groups of 5 decimal
 * digits, as Signal's safety numbers. Each group is a 40-bit slice of an
 * HKDF-SHA-256 output reduced mod 100000 (bias below 2^-23), so all 60 digits
 * carry about 199 bits: enough that only a full comparison is meaningful, and
 * the UI should ask for one.
 */
export const fingerprintGroups = 12;
const groupBytes = 5;

export function fingerprintWithLabel(label: string, publicKeys: readonly Uint8Array[]): string {
  // Length-prefix each key so different splits of the same bytes differ.
  const parts: Uint8Array[] = [];
  for (const key of publicKeys) parts.push(new Uint8Array([key.length >> 8, key.length & 0xff]), key);
  const digest = hkdfSha256(concatBytes(...parts), undefined, label, fingerprintGroups * groupBytes);
  const groups: string[] = [];
  for (let g = 0; g < fingerprintGroups; g++) {
    let n = 0;
    for (let i = 0; i < groupBytes; i++) n = n * 256 + digest[g * groupBytes + i]!;
    groups.push(String(n % 100000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** The fingerprint of a member's public keys (pass encryption key, then signing key). */
export function fingerprint(...publicKeys: Uint8Array[]): string {
  return fingerprintWithLabel(labels.memberFingerprint, publicKeys);
}

const digitsOnly = (text: string): string => text.replace(/[\s-]/g, '');

/** Compares two fingerprints as typed or pasted: spaces and dashes ignored, all 60 digits required. */
export function fingerprintsMatch(a: string, b: string): boolean {
  const x = digitsOnly(a);
  const y = digitsOnly(b);
  const shape = new RegExp(`^[0-9]{${fingerprintGroups * groupBytes}}$`);
  if (!shape.test(x) || !shape.test(y)) return false;
  return constantTimeEqual(utf8Encode(x), utf8Encode(y));
}
