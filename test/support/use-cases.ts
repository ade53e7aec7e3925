import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  asMemberId,
  signMemberCertificate as signCertificate,
  encodeAuthPublicKey,
  encodeOrganizationPublicKey,
  generateOrganizationKey,
  insecureKdfPolicyForTests,
  organizationFingerprint,
  sealOrganizationKey,
  signInvitationStatement,
  type MemberId,
  type MemberKeys,
  type OrganizationKeyPair,
  type PolicyActor,
  type Role,
} from '../../src/core/index.js';
import { openDatabase, type Database } from '../../src/server/db/database.js';
import { migrate } from '../../src/server/db/migrate.js';
import type { AuthContext } from '../../src/server/members/context.js';
import { insertMember, putOrganizationKeyGrant } from '../../src/server/members/repository/index.js';
import { acceptInvitation, certifyMember, inviteMember } from '../../src/server/members/use-cases/index.js';
import { insertOrganization } from '../../src/server/organization/repository.js';
import { ServerSecrets } from '../../src/server/secrets.js';
import { type Backend, freshPostgresDatabase } from './databases.js';
import { newMemberMaterial } from './members.js';
import { copyPgliteTemplate } from './pglite-template.js';

/**
 * The middle test tier: use cases called directly on a real, migrated
 * database (PGlite, and PostgreSQL with TEST_DATABASE_URL), no HTTP, no
 * browser login. Members are seeded through the repositories and use cases;
 * their keys are real (tiny Argon2id settings), so certificates verify.
 */
export interface World {
  database: Database;
  auth: AuthContext;
  organization: OrganizationKeyPair;
  admin: SeededMember;
  dispose(): Promise<void>;
}

export interface SeededMember {
  id: MemberId;
  name: string;
  role: Role;
  keys: MemberKeys;
}

export async function openTestDatabase(backend: Backend): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (backend.name === 'postgres') {
    const pg = await freshPostgresDatabase(backend.adminUrl);
    const database = await openDatabase({ databaseUrl: pg.url, pgliteDir: undefined });
    await migrate(database);
    return {
      database,
      async dispose() {
        await database.close();
        await pg.drop();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'clearing-use-cases-'));
  await copyPgliteTemplate(join(dir, 'pglite'));
  const database = await openDatabase({ databaseUrl: null, pgliteDir: join(dir, 'pglite') });
  await migrate(database);
  return {
    database,
    async dispose() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function certificateOf(world: Pick<World, 'organization'>, member: SeededMember, role: Role, issuedBy: MemberId) {
  return signCertificate(world.organization.privateKey, {
    memberId: member.id,
    name: member.name,
    role,
    encryptionPublicKey: member.keys.encryption.publicKey,
    signingPublicKey: member.keys.signing.publicKey,
    issuedBy,
  });
}

/** A set-up organization with one certified administrator holding the organization key, as first-run setup leaves it. */
export async function openWorld(backend: Backend): Promise<World> {
  const { database, dispose } = await openTestDatabase(backend);
  const organization = generateOrganizationKey();
  const publicKey = encodeOrganizationPublicKey(organization.publicKey);
  const material = await newMemberMaterial('correct horse battery staple admin', publicKey);
  const admin: SeededMember = { id: asMemberId(crypto.randomUUID()), name: 'admin', role: 'administrator', keys: material.keys };
  await database.db.transaction().execute(async (tx) => {
    await insertOrganization(tx, { name: 'Free Passage', defaultLanguage: 'en', publicKey, fingerprint: organizationFingerprint(organization.publicKey) });
    await insertMember(tx, {
      id: admin.id,
      name: admin.name,
      role: 'administrator',
      keyBundle: material.bundle,
      encryptionPublicKey: material.bundle.encryptionPublicKey,
      signingPublicKey: material.bundle.signingPublicKey,
      authPublicKey: encodeAuthPublicKey(material.auth),
      certificate: certificateOf({ organization }, admin, 'administrator', admin.id),
      invitedBy: null,
    });
    await putOrganizationKeyGrant(tx, admin.id, sealOrganizationKey(organization, material.keys.encryption.publicKey), admin.id);
  });
  const auth: AuthContext = { database, secrets: new ServerSecrets(randomBytes(32)), kdfPolicy: insecureKdfPolicyForTests };
  return { database, auth, organization, admin, dispose };
}

/** Invites and joins a member through the use cases; `certify` also certifies them (and, for an administrator, seals them the organization key). */
export async function joinMember(world: World, role: Role, name: string, options: { certify?: boolean } = {}): Promise<SeededMember> {
  const statement =
    role === 'administrator'
      ? signInvitationStatement(world.organization.privateKey, {
          invitationId: crypto.randomUUID(),
          role,
          expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
          issuedBy: world.admin.id,
        })
      : undefined;
  const invitation = await inviteMember(world.database, { actorId: world.admin.id, role, expiresInHours: 24, statement });
  const material = await newMemberMaterial(`passphrase of ${name} is long`, encodeOrganizationPublicKey(world.organization.publicKey));
  const { memberId } = await acceptInvitation(world.auth, {
    token: invitation.token,
    member: { id: crypto.randomUUID(), name, keyBundle: material.bundle, authPublicKey: encodeAuthPublicKey(material.auth) },
  });
  const member: SeededMember = { id: memberId, name, role, keys: material.keys };
  if (options.certify) {
    await certifyMember(world.database, {
      actorId: world.admin.id,
      memberId,
      certificate: certificateOf(world, member, role, world.admin.id),
      sealedOrganizationKey: role === 'administrator' ? sealOrganizationKey(world.organization, material.keys.encryption.publicKey) : undefined,
    });
  }
  return member;
}

/** The policy's view of a seeded member with a full session. */
export function actorOf(member: SeededMember, certified = true): PolicyActor {
  return { id: member.id, role: member.role, certified, stage: 'full' };
}

/** The error code a promise rejects with, or 'ok'. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    throw error;
  }
}
