import { describe, expect, it } from 'vitest';
import { parseSealedCompartmentKey } from './compartments/sealed.js';
import { parseKeyBundle } from './member-keys/bundle.js';
import { cryptoMessages } from './messages.js';
import { errorCode } from './primitives/testing.js';
import { parseSealedRecord } from './records/record.js';
import { parseMemberCertificate } from './trust/certificate.js';
import { parseInvitationStatement } from './trust/invitation.js';
import { parseMembershipList } from './trust/membership-list.js';
import { parseSealedOrganizationKey } from './trust/organization.js';
import { parseKeyRotation } from './trust/rotation.js';

/**
 * Every encrypted or signed format starts with a version tag. A version newer
 * than this code knows is FORMAT_VERSION_UNSUPPORTED — update, do not distrust —
 * whatever else the object holds (a newer format may have other fields); a tag
 * that is no version at all is still the format's own malformed code.
 */
const formats = [
  { name: 'key bundle', parse: parseKeyBundle, newest: 2, malformed: 'KEY_BUNDLE_MALFORMED' },
  { name: 'member certificate', parse: parseMemberCertificate, newest: 2, malformed: 'CERTIFICATE_INVALID' },
  { name: 'sealed record', parse: parseSealedRecord, newest: 1, malformed: 'RECORD_MALFORMED' },
  { name: 'sealed compartment key', parse: parseSealedCompartmentKey, newest: 1, malformed: 'SEALED_KEY_MALFORMED' },
  { name: 'sealed organization key', parse: parseSealedOrganizationKey, newest: 1, malformed: 'SEALED_KEY_MALFORMED' },
  { name: 'invitation statement', parse: parseInvitationStatement, newest: 1, malformed: 'INVITATION_STATEMENT_INVALID' },
  { name: 'membership list', parse: parseMembershipList, newest: 1, malformed: 'MEMBERSHIP_LIST_INVALID' },
  { name: 'key rotation statement', parse: parseKeyRotation, newest: 1, malformed: 'KEY_ROTATION_INVALID' },
] as const;

describe('a format of a newer version', () => {
  for (const format of formats) {
    it(`${format.name}: version ${format.newest + 1} is FORMAT_VERSION_UNSUPPORTED, not ${format.malformed}`, () => {
      const future = { v: format.newest + 1, body: { anything: 'a newer version may carry' }, more: 1 };
      expect(errorCode(() => format.parse(future))).toBe('FORMAT_VERSION_UNSUPPORTED');
      expect(errorCode(() => format.parse(JSON.stringify({ ...future, v: 1000 })))).toBe('FORMAT_VERSION_UNSUPPORTED');
      for (const v of [0, -1, 1.5, '1', null]) expect(errorCode(() => format.parse({ ...future, v }))).toBe(format.malformed);
      expect(errorCode(() => format.parse({ body: {} }))).toBe(format.malformed);
    });
  }

  it('says so in English and Russian, with the version', () => {
    expect(cryptoMessages.en.FORMAT_VERSION_UNSUPPORTED).toContain('{{version}}');
    expect(cryptoMessages.ru.FORMAT_VERSION_UNSUPPORTED).toContain('{{version}}');
  });
});
