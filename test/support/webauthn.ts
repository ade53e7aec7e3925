import { createHash, randomBytes } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';

/**
 * A software authenticator for HTTP-level tests: an ES256 (P-256) credential,
 * "none" attestation, a signature counter, and answers shaped exactly as
 * @simplewebauthn/browser sends them. It signs whatever origin it is told,
 * so tests can play a phishing site too.
 */

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest());
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

// ── A minimal CBOR encoder: unsigned/negative integers, byte and text strings, maps ──
function head(major: number, n: number): Uint8Array {
  if (n < 24) return Uint8Array.of((major << 5) | n);
  if (n < 256) return Uint8Array.of((major << 5) | 24, n);
  if (n < 65536) return Uint8Array.of((major << 5) | 25, n >> 8, n & 0xff);
  return Uint8Array.of((major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function cbor(value: Cbor): Uint8Array {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  const parts: Uint8Array[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

function u32(n: number): Uint8Array {
  return Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

export interface RegistrationOptionsJSON {
  challenge: string;
  rp: { id: string };
}
export interface AssertionOptionsJSON {
  challenge: string;
  rpId: string;
}

export class SoftAuthenticator {
  readonly secretKey = p256.utils.randomSecretKey();
  readonly credentialId = new Uint8Array(randomBytes(32));
  /** The signature counter; `counts = false` keeps it at 0, as many platform authenticators do. */
  counter = 0;
  constructor(readonly counts = true) {}

  get id(): string {
    return b64(this.credentialId);
  }

  private coseKey(): Uint8Array {
    const point = p256.getPublicKey(this.secretKey, false); // 0x04 | x | y
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, point.slice(1, 33)],
        [-3, point.slice(33, 65)],
      ]),
    );
  }

  /** The answer to navigator.credentials.create(options) at `origin`. */
  register(options: RegistrationOptionsJSON, origin: string, overrides: { rpId?: string; challenge?: string } = {}) {
    const clientData = new TextEncoder().encode(
      JSON.stringify({ type: 'webauthn.create', challenge: overrides.challenge ?? options.challenge, origin, crossOrigin: false }),
    );
    const flags = 0x01 | 0x04 | 0x40; // user present, user verified, attested credential data
    const authData = Buffer.concat([
      sha256(overrides.rpId ?? options.rp.id),
      Uint8Array.of(flags),
      u32(this.counter),
      new Uint8Array(16), // AAGUID
      Uint8Array.of(this.credentialId.length >> 8, this.credentialId.length & 0xff),
      this.credentialId,
      this.coseKey(),
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), attestationObject: b64(attestationObject), transports: ['usb'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }

  /** The answer to navigator.credentials.get(options) at `origin`; moves the counter on when it counts. */
  assert(options: AssertionOptionsJSON, origin: string, overrides: { rpId?: string; counter?: number } = {}) {
    if (this.counts) this.counter += 1;
    const counter = overrides.counter ?? this.counter;
    const clientData = new TextEncoder().encode(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const authData = Buffer.concat([sha256(overrides.rpId ?? options.rpId), Uint8Array.of(0x01 | 0x04), u32(counter)]);
    const signed = Buffer.concat([authData, sha256(clientData)]);
    const signature = p256.sign(signed, this.secretKey, { format: 'der' });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64(clientData), authenticatorData: b64(authData), signature: b64(signature) },
      clientExtensionResults: {},
      authenticatorAttachment: 'cross-platform',
    };
  }
}
