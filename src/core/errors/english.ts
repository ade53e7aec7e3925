import { ageMessages } from '../crypto/age/messages.js';
import { cryptoMessages } from '../crypto/messages.js';
import { merkleMessages } from '../crypto/merkle/messages.js';
import { searchMessages } from '../crypto/search/messages.js';
import { errors } from '../i18n/en/errors.js';
import type { ErrorCode, ErrorParams } from './codes.js';

/**
 * The English words of every code, for `Error.message` (logs, stack traces,
 * test output). Data only, so that core/errors imports no code that imports it.
 */
const english: Record<ErrorCode, string> = { ...cryptoMessages.en, ...ageMessages.en, ...merkleMessages.en, ...searchMessages.en, ...errors };

export function englishMessage(code: ErrorCode, params: ErrorParams = {}): string {
  const template = english[code] ?? code;
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
