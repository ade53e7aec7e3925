import type { CaseDetail } from '../../../../core/api/cases.js';
import type { CaseKeys } from '../../../../core/index.js';

/** What the case page hands each workflow slot: the case as served, and its keys once audited and opened (null while they are not). */
export interface CaseSlotProps {
  detail: CaseDetail;
  keys: CaseKeys | null;
}
