import { asMemberId, ClearingError, isUuid, organizationFingerprint, decodeOrganizationPublicKey, type SetupRequest } from '../../../core/index.js';
import { appendAuditEntry } from '../../audit/index.js';
import type { AuthContext } from '../../members/context.js';
import { insertMember, putOrganizationKeyGrant } from '../../members/repository/index.js';
import { refuseConfusableName } from '../../members/use-cases/index.js';
import { checkAuthPublicKey, checkCertificate, checkKeyBundle, checkOrganizationPublicKey, checkSealedOrganizationKey } from '../../members/validate.js';
import { findOrganization, insertOrganization, type Organization } from '../repository.js';
import { removeSetupCode, setupCodeMatches } from '../setup-code.js';
import { publishMembershipListIn } from './publish-membership-list.js';

/**
 * First-run setup: the organization, its public key and its first
 * administrator, all or nothing. Everything secret was made in the browser.
 */
export async function setUpOrganization(ctx: AuthContext, dataDir: string, input: SetupRequest): Promise<Organization> {
  const { database } = ctx;
  if (await findOrganization(database.db)) throw new ClearingError('ALREADY_SET_UP', { status: 409 });
  if (!setupCodeMatches(dataDir, input.setupCode)) {
    throw new ClearingError('SETUP_CODE_INVALID', { status: 403 });
  }
  const name = input.organizationName.normalize('NFC').trim();
  if (name.length === 0) {
    throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'organizationName is empty' } });
  }
  const admin = input.administrator;
  if (!isUuid(admin.id)) throw new ClearingError('VALIDATION_FAILED', { params: { detail: 'administrator.id must be a UUID' } });
  const adminId = asMemberId(admin.id);
  const publicKey = checkOrganizationPublicKey(input.organizationPublicKey);
  const bundle = checkKeyBundle(admin.keyBundle, ctx.kdfPolicy, publicKey);
  const certificate = checkCertificate(publicKey, admin.certificate, {
    memberId: admin.id,
    name: admin.name.normalize('NFC').trim(),
    role: 'administrator',
    encryptionPublicKey: bundle.encryptionPublicKey,
    signingPublicKey: bundle.signingPublicKey,
  });
  const sealed = checkSealedOrganizationKey(publicKey, bundle.encryptionPublicKey, admin.sealedOrganizationKey);
  const authPublicKey = checkAuthPublicKey(admin.authPublicKey);

  const org = await database.db.transaction().execute(async (tx) => {
    const created = await insertOrganization(tx, {
      name,
      defaultLanguage: input.defaultLanguage,
      publicKey,
      fingerprint: organizationFingerprint(decodeOrganizationPublicKey(publicKey)),
    });
    if (!created) throw new ClearingError('ALREADY_SET_UP', { status: 409 });
    await refuseConfusableName(tx, admin.name.normalize('NFC').trim());
    const inserted = await insertMember(tx, {
      id: adminId,
      name: admin.name.normalize('NFC').trim(),
      role: 'administrator',
      keyBundle: bundle,
      encryptionPublicKey: bundle.encryptionPublicKey,
      signingPublicKey: bundle.signingPublicKey,
      authPublicKey,
      certificate,
      invitedBy: null,
    });
    if (!inserted) throw new ClearingError('NAME_TAKEN', { status: 409 });
    await putOrganizationKeyGrant(tx, adminId, sealed, adminId);
    await appendAuditEntry(tx, { action: 'organization.setup', actorId: admin.id, subjectId: admin.id, detail: { role: 'administrator' } });
    // The first membership list (counter 1), signed in the same browser; optional for older clients.
    if (input.membershipList !== undefined) await publishMembershipListIn(tx, adminId, input.membershipList);
    const org = await findOrganization(tx);
    if (!org) throw new Error('organization row vanished inside its own transaction');
    return org;
  });
  removeSetupCode(dataDir);
  return org;
}
