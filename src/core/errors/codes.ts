/**
 * Every error code Clearing can show, one list per area. A code that is in no
 * list does not compile at a throw site, and a test checks that each one has
 * words in every catalogue (src/core/i18n/<language>/errors.ts and the
 * cryptographic core's messages.ts files). Add a code here, then its message
 * in English and Russian; never write the words at the throw site.
 */
import type { AgeErrorCode } from '../crypto/age/errors.js';
import type { MerkleErrorCode } from '../crypto/merkle/errors.js';
import type { CryptoErrorCode } from '../crypto/messages.js';
import type { SearchErrorCode } from '../crypto/search/errors.js';

/** HTTP, configuration, the data directory, the database, first-run setup. */
export const platformErrorCodes = [
  'NOT_FOUND',
  'ROUTE_NOT_FOUND',
  'MALFORMED_JSON',
  'BODY_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'VALIDATION_FAILED',
  'INTERNAL',
  'DATABASE_UNAVAILABLE',
  'MIGRATIONS_PENDING',
  'DATA_DIR_LOCKED',
  'DATA_DIR_UNUSABLE',
  'NOT_A_DATA_DIR',
  'ALREADY_SET_UP',
  'NOT_SET_UP',
  'SETUP_CODE_INVALID',
  'CONFIG_INVALID',
] as const;

/** Login, sessions, second factors, authorization. */
export const authErrorCodes = [
  'AUTH_REQUIRED',
  'SECOND_FACTOR_REQUIRED',
  'FORBIDDEN',
  'CSRF_REJECTED',
  'LOGIN_FAILED',
  'LOGIN_CHALLENGE_INVALID',
  'LOGIN_UPGRADE_REQUIRED',
  'TOO_MANY_ATTEMPTS',
  'TOTP_INVALID',
  'TOTP_NOT_ENROLLING',
  'FRESH_FACTOR_REQUIRED',
  'SESSION_NOT_FOUND',
  'WEBAUTHN_INVALID',
  'WEBAUTHN_CHALLENGE_INVALID',
  'WEBAUTHN_UNAVAILABLE',
  'AUTHENTICATOR_NAME_INVALID',
  'AUTHENTICATOR_LIMIT',
  'AUTHENTICATOR_EXISTS',
  'AUTHENTICATOR_NOT_FOUND',
  'LAST_SECOND_FACTOR',
  'NO_AUTHENTICATORS',
] as const;

/** Members, invitations, certificates, roles. */
export const memberErrorCodes = [
  'INVITATION_INVALID',
  'INVITATION_EXPIRED',
  'INVITATION_USED',
  'INVITATION_STATEMENT_REJECTED',
  'NAME_TAKEN',
  'NAME_CONFUSABLE',
  'MEMBER_NOT_FOUND',
  'MEMBER_SUSPENDED',
  'CERTIFICATE_REJECTED',
  'KEY_BUNDLE_REJECTED',
  'SEALED_KEY_REJECTED',
  'LAST_ADMINISTRATOR',
  'CANNOT_CHANGE_SELF',
] as const;

/** Trust against the server: the pinned organization key, the signed membership list, key rotation. */
export const trustErrorCodes = ['ORGANIZATION_KEY_CHANGED', 'KEY_SUBSTITUTION', 'MEMBERSHIP_LIST_REJECTED', 'KEY_ROTATION_REJECTED'] as const;

/** The audit log, on the server and in `clearing audit`. */
export const auditErrorCodes = ['AUDIT_TAMPERED', 'AUDIT_RANGE_INVALID', 'AUDIT_PERIOD_INVALID', 'AUDIT_LOG_BROKEN', 'AUDIT_HEAD_INVALID'] as const;

/** Raised only in the browser (the server never sends them). */
export const clientErrorCodes = ['NETWORK', 'WEBAUTHN_CANCELLED', 'WEBAUTHN_UNSUPPORTED'] as const;

/** Casework: cases, compartments, grants, rotation, records, tasks, notifications, search. */
export const caseErrorCodes = [
  'CASE_NOT_FOUND',
  'CASE_CODE_TAKEN',
  'CASE_MOVE_NOT_ALLOWED',
  'CASE_OUTCOME_REQUIRED',
  'CASE_CLOSED',
  'CASE_HOLDERS_TOO_FEW',
  'CASE_ROTATION_PENDING',
  'CASE_STATEMENT_REJECTED',
  'CASE_CHAIN_CONFLICT',
  'CASE_NOT_HOLDER',
  'CASE_MEMBER_NOT_ELIGIBLE',
  'CASE_ALREADY_HOLDER',
  'CASE_SPECIALIST_INVALID',
  'CASE_OWNER_INVALID',
  'RECORD_CONFLICT',
  'RECORD_NOT_FOUND',
  'RECORD_REJECTED',
  'TASK_NOT_FOUND',
  'FLAG_REASON_REQUIRED',
  'FLAG_NOT_SET',
  'NOTIFICATION_NOT_FOUND',
  'HANDOVER_NOT_ALLOWED',
  'SEARCH_TOO_BROAD',
] as const;

/**
 * Evidence: reading what people hand over (a Telegram Desktop export, its zip).
 * The `TELEGRAM_*` and `ARCHIVE_*` codes refuse a whole import; the `MEDIA_*`
 * codes are problems noted on one message (an `ImportProblem`), never a failure.
 */
export const evidenceErrorCodes = [
  'TELEGRAM_EXPORT_DAMAGED',
  'TELEGRAM_EXPORT_TRUNCATED',
  'TELEGRAM_NOT_AN_EXPORT',
  'TELEGRAM_EXPORT_TOO_DEEP',
  'TELEGRAM_VALUE_TOO_LONG',
  'TELEGRAM_FIELD_INVALID',
  'TELEGRAM_MEDIA_PATH_UNSAFE',
  'TELEGRAM_TOO_MANY_MESSAGES',
  'TELEGRAM_MESSAGE_TOO_LARGE',
  'ARCHIVE_DAMAGED',
  'ARCHIVE_ENTRY_UNSAFE',
  'ARCHIVE_TOO_LARGE',
  'ARCHIVE_TOO_MANY_ENTRIES',
  'ARCHIVE_NO_EXPORT',
  'ARCHIVE_SEVERAL_EXPORTS',
  'ARCHIVE_ENTRY_NOT_FOUND',
  'MEDIA_FILE_MISSING',
  'MEDIA_KIND_MISMATCH',
] as const;

/** Room for the next areas: add `verificationErrorCodes` beside these. */
export const appErrorCodes = [
  ...platformErrorCodes,
  ...authErrorCodes,
  ...memberErrorCodes,
  ...trustErrorCodes,
  ...auditErrorCodes,
  ...caseErrorCodes,
  ...evidenceErrorCodes,
  ...clientErrorCodes,
] as const;

/** The codes whose words live in the catalogues' `errors` block. */
export type AppErrorCode = (typeof appErrorCodes)[number];

/** Every code: the application's and those of the cryptographic core (whose words live beside their code). */
export type ErrorCode = AppErrorCode | CryptoErrorCode | AgeErrorCode | MerkleErrorCode | SearchErrorCode;

export type ErrorParams = Readonly<Record<string, string | number>>;
