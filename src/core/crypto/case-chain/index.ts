export {
  caseStatementHash,
  maxCaseStatements,
  maxHolders,
  parseCaseStatement,
  rotationReasons,
  signCaseStatement,
  type CaseStatement,
  type CaseStatementBody,
  type OpenedCompartment,
  type RotationReason,
  type UnsignedCaseStatement,
} from './statement.js';
export {
  auditCaseChain,
  checkServedHolders,
  type AuditedCase,
  type AuditedCompartment,
  type CaseAuditOptions,
  type CaseChainHead,
  type ServedHolders,
} from './audit.js';
