import type { CaseId, MemberId } from '../../../core/index.js';
import type { TimelineResponse } from '../../../core/api/casework.js';
import type { Database } from '../../db/database.js';
import { listCaseTimeline } from '../repository/timeline.js';
import { authorizeOnCase } from './workflow-guards.js';

/**
 * The case's history for its owner and administrators: every audit entry
 * whose subject is the case, newest first, including each read of its
 * compartment keys (`case.keys_read`, the access log). Each entry carries
 * its seq and leaf hash, so the browser can check it against a signed tree head.
 */
export async function readCaseTimeline(
  database: Database,
  props: { actorId: MemberId; caseId: CaseId; before?: number; limit?: number },
): Promise<TimelineResponse> {
  await authorizeOnCase(database.db, props.actorId, props.caseId, 'case.timeline');
  const limit = Math.min(Math.max(props.limit ?? 100, 1), 500);
  return listCaseTimeline(database.db, props.caseId, { before: props.before, limit });
}
