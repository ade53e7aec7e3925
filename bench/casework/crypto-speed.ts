/**
 * Signing and sealing with WebCrypto (Node's native Ed25519 and X25519)
 * against @noble/curves (what core uses), in the same process and run:
 * operations per second of each, alternating, median of three rounds.
 */
import { webcrypto } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import type { Figure } from '../report.js';

const subtle = webcrypto.subtle;

async function rate(seconds: number, op: () => unknown | Promise<unknown>): Promise<number> {
  // Warm up.
  for (let i = 0; i < 50; i++) await op();
  let n = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 20; i++) await op();
    n += 20;
  }
  return n / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function pair(seconds: number, webOp: () => Promise<unknown>, nobleOp: () => unknown): Promise<{ web: number; noble: number }> {
  const web: number[] = [];
  const noble: number[] = [];
  for (let round = 0; round < 3; round++) {
    web.push(await rate(seconds, webOp));
    noble.push(await rate(seconds, nobleOp));
  }
  return { web: median(web), noble: median(noble) };
}

/** Raw X25519 operations per second (noble's getSharedSecret, as core does), the reference of casework.rotate. */
export async function rawX25519Rate(seconds: number): Promise<number> {
  const a = x25519.utils.randomSecretKey();
  const b = x25519.getPublicKey(x25519.utils.randomSecretKey());
  return rate(seconds, () => x25519.getSharedSecret(a, b));
}

export async function cryptoSpeedFigures(seconds: number): Promise<{ figures: Figure[]; lines: string[] }> {
  const message = new TextEncoder().encode('a record of about a hundred bytes, as signed statements and records are in casework'.repeat(2));

  const nobleSecret = ed25519.utils.randomSecretKey();
  const noblePublic = ed25519.getPublicKey(nobleSecret);
  const nobleSignature = ed25519.sign(message, nobleSecret);
  const edKeys = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const webSignature = new Uint8Array(await subtle.sign({ name: 'Ed25519' }, edKeys.privateKey, message));

  const sign = await pair(
    seconds,
    () => subtle.sign({ name: 'Ed25519' }, edKeys.privateKey, message),
    () => ed25519.sign(message, nobleSecret),
  );
  const verify = await pair(
    seconds,
    () => subtle.verify({ name: 'Ed25519' }, edKeys.publicKey, webSignature, message),
    () => ed25519.verify(nobleSignature, message, noblePublic),
  );

  const xSecret = x25519.utils.randomSecretKey();
  const xPeer = x25519.getPublicKey(x25519.utils.randomSecretKey());
  const xKeys = (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits'])) as webcrypto.CryptoKeyPair;
  const xPeerWeb = await subtle.importKey('raw', xPeer, { name: 'X25519' }, false, []);
  const ecdh = await pair(
    seconds,
    () => subtle.deriveBits({ name: 'X25519', public: xPeerWeb }, xKeys.privateKey, 256),
    () => x25519.getSharedSecret(xSecret, xPeer),
  );
  // The asymmetric half of sealing a key to a member: a fresh ephemeral key pair and one X25519 with the recipient's key.
  const seal = await pair(
    seconds,
    async () => {
      const ephemeral = (await subtle.generateKey({ name: 'X25519' }, true, ['deriveBits'])) as webcrypto.CryptoKeyPair;
      await subtle.exportKey('raw', ephemeral.publicKey);
      return subtle.deriveBits({ name: 'X25519', public: xPeerWeb }, ephemeral.privateKey, 256);
    },
    () => {
      const ephemeral = x25519.utils.randomSecretKey();
      x25519.getPublicKey(ephemeral);
      return x25519.getSharedSecret(ephemeral, xPeer);
    },
  );

  const figure = (bench: string, what: string, r: { web: number; noble: number }): Figure => ({
    bench,
    value: r.web,
    unit: 'ops/s',
    reference: `@noble/curves ${what}, ops/s`,
    reference_value: r.noble,
  });
  const lines = [
    `Ed25519 sign: WebCrypto ${sign.web.toFixed(0)}/s, noble ${sign.noble.toFixed(0)}/s`,
    `Ed25519 verify: WebCrypto ${verify.web.toFixed(0)}/s, noble ${verify.noble.toFixed(0)}/s`,
    `X25519: WebCrypto ${ecdh.web.toFixed(0)}/s, noble ${ecdh.noble.toFixed(0)}/s`,
    `seal (ephemeral key + X25519): WebCrypto ${seal.web.toFixed(0)}/s, noble ${seal.noble.toFixed(0)}/s`,
  ];
  return {
    lines,
    figures: [
      figure('casework.sign_webcrypto_vs_noble', 'Ed25519 sign', sign),
      figure('casework.verify_webcrypto_vs_noble', 'Ed25519 verify', verify),
      figure('casework.x25519_webcrypto_vs_noble', 'X25519', ecdh),
      figure('casework.seal_webcrypto_vs_noble', 'ephemeral X25519 key + X25519', seal),
    ],
  };
}
