import {
  checkKdfPolicy,
  ClearingError,
  decodeAuthPublicKey,
  type KdfPolicy,
  decodeOrganizationPublicKey,
  fromBase64url,
  isCryptoError,
  parseKeyBundle,
  parseSealedOrganizationKey,
  verifyMemberCertificate,
  decodePublicKey,
  type CertificateExpectation,
  type KeyBundle,
  type MemberCertificate,
  type Role,
  type ErrorCode,
} from '../../core/index.js';

/**
 * The server cannot open what members send it, but it checks the shape and the
 * signatures of everything it stores, so one broken client cannot plant garbage
 * that other members' browsers later choke on.
 */
function rejected(code: ErrorCode, error: unknown): never {
  if (isCryptoError(error)) {
    throw new ClearingError(code, { status: 400, params: { reason: error.code }, cause: error });
  }
  throw error;
}

/**
 * Also holds stored bundles to the same Argon2id floor clients demand, so nobody stores keys behind a cheap derivation.
 * With `organizationKey`: a version-2 bundle must bind exactly that key (the one the member compared when joining).
 */
export function checkKeyBundle(input: unknown, kdfPolicy: KdfPolicy, organizationKey?: string): KeyBundle {
  try {
    const bundle = parseKeyBundle(input);
    checkKdfPolicy(bundle.kdf, kdfPolicy);
    decodePublicKey(bundle.encryptionPublicKey, 'x25519');
    decodePublicKey(bundle.signingPublicKey, 'ed25519');
    if (organizationKey !== undefined && bundle.organizationKey !== undefined && bundle.organizationKey !== organizationKey) {
      throw new ClearingError('KEY_BUNDLE_REJECTED', { status: 400, params: { reason: 'KEY_BUNDLE_WRONG_ORGANIZATION' } });
    }
    return bundle;
  } catch (e) {
    return rejected('KEY_BUNDLE_REJECTED', e);
  }
}

export function checkAuthKey(input: string): Uint8Array {
  try {
    return fromBase64url(input, 32);
  } catch {
    throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'authKey must be 32 bytes in base64url' } });
  }
}

export function checkAuthPublicKey(input: string): string {
  try {
    decodeAuthPublicKey(input);
    return input;
  } catch {
    throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'authPublicKey' } });
  }
}

export function checkCertificate(
  organizationPublicKey: string,
  certificate: unknown,
  expect: { memberId: string; name: string; role: Role; encryptionPublicKey: string; signingPublicKey: string },
): MemberCertificate {
  try {
    const pinned = decodeOrganizationPublicKey(organizationPublicKey);
    const expectation: CertificateExpectation = {
      memberId: expect.memberId as CertificateExpectation['memberId'],
      // New certificates are version 2 and must name the member as stored.
      name: expect.name,
      role: expect.role,
      encryptionPublicKey: decodePublicKey(expect.encryptionPublicKey, 'x25519'),
      signingPublicKey: decodePublicKey(expect.signingPublicKey, 'ed25519'),
    };
    verifyMemberCertificate(pinned, certificate, expectation);
    return certificate as MemberCertificate;
  } catch (e) {
    return rejected('CERTIFICATE_REJECTED', e);
  }
}

export function checkSealedOrganizationKey(organizationPublicKey: string, recipientEncryptionKey: string, sealed: unknown): unknown {
  try {
    const parsed = parseSealedOrganizationKey(sealed);
    if (parsed.organizationKey !== organizationPublicKey || parsed.recipientKey !== recipientEncryptionKey) {
      throw new ClearingError('SEALED_KEY_REJECTED', { status: 400 });
    }
    return parsed;
  } catch (e) {
    return rejected('SEALED_KEY_REJECTED', e);
  }
}

export function checkOrganizationPublicKey(input: string): string {
  try {
    decodeOrganizationPublicKey(input);
    return input;
  } catch (e) {
    return rejected('VALIDATION_FAILED', e);
  }
}
