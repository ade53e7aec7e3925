import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ClearingError } from '../core/index.js';
import { nameKey } from './members/repository/index.js';

/**
 * A secret of this server kept in the data directory (`server-secret`), not in
 * the database, so a copy of the database (a dump, a PostgreSQL backup) does
 * not carry it. It keys:
 * - the tags that stand for typed names in login challenges and throttle rows
 *   (whatever was typed into the name field, once a passphrase, is never stored);
 * - the decoy parameters shown for names that are not members;
 * - the sealing of TOTP secrets.
 * Losing it costs little: pending logins fail once, throttles reset, and
 * members set up their authenticator app again.
 */
export const serverSecretFile = 'server-secret';
const secretLength = 32;

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `clearing/server-secret/${info}`, 32));
}

/** A stable, random-looking UUID v4 from 16 bytes. */
function uuidFrom(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sealedTotpPrefix = 'v1.';
/** A member's salt changes when they change their passphrase; a decoy's changes too, at its own moment in each period. */
export const decoySaltPeriodMs = 90 * 24 * 3600 * 1000;

export class ServerSecrets {
  private readonly tagKey: Buffer;
  private readonly decoyKey: Buffer;
  private readonly totpKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== secretLength) throw new Error('server secret must be 32 bytes');
    this.tagKey = derive(master, 'tags');
    this.decoyKey = derive(master, 'decoys');
    this.totpKey = derive(master, 'totp');
  }

  /** Reads `<dataDir>/server-secret`, creating it (0600, fsynced, never overwritten) on first start. */
  static load(dataDir: string): ServerSecrets {
    const path = join(dataDir, serverSecretFile);
    try {
      const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      try {
        writeSync(fd, `${randomBytes(secretLength).toString('base64url')}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(path, e);
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (e) {
      throw unusable(path, e);
    }
    const bytes = Buffer.from(text, 'base64url');
    if (bytes.length !== secretLength || bytes.toString('base64url') !== text) throw unusable(path, new Error('the file is damaged'));
    return new ServerSecrets(bytes);
  }

  /** One purpose, one tag space: a name tag can never collide with a member-id tag. */
  tag(purpose: 'name' | 'member' | 'address', value: string): string {
    return createHmac('sha256', this.tagKey).update(`${purpose}\n${value}`).digest('base64url').slice(0, 32);
  }

  nameTag(name: string): string {
    return this.tag('name', nameKey(name));
  }

  private decoyBytes(label: string, key: string): Buffer {
    return createHmac('sha256', this.decoyKey).update(`${label}\n${key}`).digest();
  }

  /** The id shown for a name that is no member: stable, and shaped like a member's. */
  decoyMemberId(name: string): string {
    return uuidFrom(this.decoyBytes('member-id', nameKey(name)));
  }

  /** A salt for a name that is no member. It changes once per period, at a moment of its own for each name. */
  decoySalt(name: string, now = Date.now()): Buffer {
    const key = nameKey(name);
    const phase = this.decoyBytes('salt-phase', key).readUInt32BE(0) / 0x1_0000_0000;
    const period = Math.floor(now / decoySaltPeriodMs + phase);
    return this.decoyBytes(`salt\n${period}`, key).subarray(0, 16);
  }

  /** 32 bytes to stand in for a decoy's authentication key when a proof is checked. */
  decoySeed(name: string): Buffer {
    return this.decoyBytes('auth-seed', nameKey(name));
  }

  /** Seals a TOTP secret for one member (AES-256-GCM, the member id as associated data). */
  sealTotpSecret(memberId: string, secret: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.totpKey, nonce);
    cipher.setAAD(Buffer.from(`totp\n${memberId}`));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${sealedTotpPrefix}${nonce.toString('base64url')}.${ct.toString('base64url')}`;
  }

  /** null when the value was sealed under another secret (a restored database without its data directory) or altered. */
  openTotpSecret(memberId: string, sealed: string): string | null {
    if (!sealed.startsWith(sealedTotpPrefix)) return null;
    const [nonceText, ctText] = sealed.slice(sealedTotpPrefix.length).split('.');
    if (!nonceText || !ctText) return null;
    const nonce = Buffer.from(nonceText, 'base64url');
    const ct = Buffer.from(ctText, 'base64url');
    if (nonce.length !== 12 || ct.length < 17) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.totpKey, nonce);
      decipher.setAAD(Buffer.from(`totp\n${memberId}`));
      decipher.setAuthTag(ct.subarray(ct.length - 16));
      return Buffer.concat([decipher.update(ct.subarray(0, ct.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  static isSealedTotpSecret(value: string): boolean {
    return value.startsWith(sealedTotpPrefix);
  }
}

function unusable(path: string, cause: unknown): ClearingError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ClearingError('DATA_DIR_UNUSABLE', { params: { dir: path, reason }, cause });
}
