import type { CaseSummary } from '../../../core/api/cases.js';
import type { CaseCategory, CaseFlag, CasePriority, CaseStatus } from '../../../core/index.js';
import type { CaseListRow, CaseRow } from '../repository/index.js';

/** The list's and the page's view of a case's metadata. */
export function caseSummaryOf(
  row: CaseRow | CaseListRow,
  extra: { specialistIds: string[]; flags: CaseFlag[]; overdueTasks: number; rotationPending: boolean },
): CaseSummary {
  return {
    id: row.id,
    code: row.code,
    status: row.status as CaseStatus,
    category: row.category as CaseCategory,
    priority: row.priority as CasePriority,
    ownerId: row.ownerId,
    specialistIds: extra.specialistIds,
    flags: extra.flags,
    openTasks: row.openTasks,
    overdueTasks: extra.overdueTasks,
    nextDueOn: row.nextDueOn,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    rotationPending: extra.rotationPending,
  };
}
