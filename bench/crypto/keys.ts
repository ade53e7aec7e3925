/**
 * Member and compartment key costs: Argon2id at the default parameters (goal
 * 0.5–1.5 s per derivation), sealing and opening a compartment key grant, and
 * sealing and opening 1 KiB records. Each rate sits beside the bare @noble
 * primitive that dominates it, measured in the same run: X25519 for grants,
 * Ed25519 sign (seal) and verify (open) for records.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { asCaseId, asMemberId, asRecordId } from '../../src/core/domain/ids.js';
import {
  signMemberCertificate,
  defaultKdfSettings,
  deriveMasterKey,
  deriveRecordKey,
  generateCompartmentKey,
  generateMemberKeys,
  generateOrganizationKey,
  insecureKdfParamsForTests,
  insecureKdfPolicyForTests,
  memberSigner,
  newKdfParams,
  openCompartmentKey,
  openRecord,
  randomBytes,
  sealCompartmentKey,
  sealRecord,
  verifyMemberCertificate,
  type RecordReference,
} from '../../src/core/crypto/index.js';
import { type Figure, note } from '../report.js';

/** Runs `step` in batches until `seconds` have passed; returns operations per second. */
function rate(seconds: number, batch: number, step: () => void): number {
  let done = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < batch; i++) step();
    done += batch;
    elapsed = performance.now() - start;
  }
  return done / (elapsed / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(args: string[]): Promise<Figure[]> {
  const seconds = args.includes('--quick') ? 0.3 : 1.5;
  const figures: Figure[] = [];

  // Argon2id: the first call compiles hash-wasm's module; keep that out of the figure.
  await deriveMasterKey('warm up', insecureKdfParamsForTests(), insecureKdfPolicyForTests);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await deriveMasterKey('correct horse battery staple', newKdfParams());
    times.push((performance.now() - start) / 1000);
  }
  const argon = median(times);
  const { memoryKiB, iterations, parallelism } = defaultKdfSettings;
  note(`crypto.argon2id: m=${memoryKiB} KiB t=${iterations} p=${parallelism}: ${times.map((t) => t.toFixed(3)).join(', ')} s (goal 0.5–1.5 s)`);
  figures.push({ bench: 'crypto.argon2id', value: argon, unit: 's', reference: null, reference_value: null });

  // Grants: a coordinator seals a compartment key to a certified member, who opens it.
  const org = generateOrganizationKey();
  const coordinatorKeys = generateMemberKeys();
  const memberKeys = generateMemberKeys();
  const certify = (id: string, keys: typeof memberKeys) =>
    verifyMemberCertificate(
      org.publicKey,
      signMemberCertificate(org.privateKey, {
        memberId: asMemberId(id),
        name: `member ${id}`,
        role: 'specialist',
        encryptionPublicKey: keys.encryption.publicKey,
        signingPublicKey: keys.signing.publicKey,
        issuedBy: asMemberId('admin'),
      }),
    );
  const coordinator = certify('coordinator', coordinatorKeys);
  const member = certify('member', memberKeys);
  const grantor = memberSigner(coordinator.memberId, coordinatorKeys);
  const key = generateCompartmentKey({ caseId: asCaseId('K7F-3QX'), compartment: 'testimony', epoch: 0 });

  const peer = x25519.keygen();
  const ecdh = rate(seconds, 20, () => x25519.getSharedSecret(peer.secretKey, memberKeys.encryption.publicKey));
  const ecdhRef = 'noble x25519 shared secrets/s';
  note(`reference: ${ecdh.toFixed(0)} X25519 shared secrets/s (a grant seal costs ~2 X25519 + 1 Ed25519 sign; an open ~2 X25519 + 1 Ed25519 verify)`);

  let sealed = sealCompartmentKey(key, member, grantor);
  const seal = rate(seconds, 10, () => {
    sealed = sealCompartmentKey(key, member, grantor);
  });
  figures.push({ bench: 'crypto.compartment_seal', value: seal, unit: 'ops/s', reference: ecdhRef, reference_value: ecdh });
  const open = rate(seconds, 10, () => openCompartmentKey(sealed, memberKeys, coordinator, key.reference));
  figures.push({ bench: 'crypto.compartment_open', value: open, unit: 'ops/s', reference: ecdhRef, reference_value: ecdh });

  // Records: 1 KiB, encrypt + sign, then verify + decrypt, as stored (JSON round trip excluded).
  const recordKey = deriveRecordKey(key);
  const author = memberSigner(member.memberId, memberKeys);
  const reference: RecordReference = { ...key.reference, recordId: asRecordId('rec-1'), version: 1 };
  const plaintext = randomBytes(1024);
  const message = new Uint8Array(1400); // about the signed JSON of a 1 KiB record
  const signature = ed25519.sign(message, memberKeys.signing.privateKey);
  const sign = rate(seconds, 20, () => ed25519.sign(message, memberKeys.signing.privateKey));
  const verify = rate(seconds, 20, () => ed25519.verify(signature, message, memberKeys.signing.publicKey, { zip215: false }));

  let record = sealRecord(reference, plaintext, recordKey, author);
  const recordSeal = rate(seconds, 20, () => {
    record = sealRecord(reference, plaintext, recordKey, author);
  });
  figures.push({
    bench: 'crypto.record_seal',
    value: recordSeal,
    unit: 'records/s',
    reference: 'noble ed25519 signs/s, 1.4 KB messages',
    reference_value: sign,
  });
  const recordOpen = rate(seconds, 20, () => openRecord(record, recordKey, reference, member));
  figures.push({
    bench: 'crypto.record_open',
    value: recordOpen,
    unit: 'records/s',
    reference: 'noble ed25519 verifies/s (strict), 1.4 KB messages',
    reference_value: verify,
  });
  return figures;
}
