/**
 * The working life of a case, one function per endpoint, typed from
 * src/core/api/casework.ts (as ./client.ts is from the other shapes): status,
 * closing, reopening, priority, assignment, escalation, flags, handover,
 * tasks, notifications, access requests and the timeline.
 */
import type {
  AccessRequestResponse,
  AssignCaseRequest,
  CaseFlagsResponse,
  CaseTasksResponse,
  CaseWorkflowState,
  CloseCaseRequest,
  CreateTaskRequest,
  EscalateCaseRequest,
  EscalateCaseResponse,
  HandoverCandidatesResponse,
  HandoverRequest,
  HandoverResponse,
  MarkNotificationsReadRequest,
  MyTasksResponse,
  NotificationsResponse,
  RemoveFlagRequest,
  TimelineResponse,
  UnreadCountResponse,
  UpdateTaskRequest,
} from '../../core/api/casework.js';
import type { CaseDetail, StoredRecord, WriteRecordRequest } from '../../core/api/cases.js';
import type { CaseCompartmentName, CaseFlag, CasePriority, CaseStatus } from '../../core/index.js';
import { api as request } from '../api.js';

const send = <T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown = {}) => request<T>(path, { method, body });
const id = (value: string) => encodeURIComponent(value);
const cases = (caseId: string) => `/api/cases/${id(caseId)}`;
const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const caseworkApi = {
  /** The case with its chain, compartments and the caller's sealed keys (what opening its keys needs). */
  detail: (caseId: string) => request<CaseDetail>(cases(caseId)),
  workflow: {
    move: (caseId: string, to: CaseStatus) => send<CaseWorkflowState>('POST', `${cases(caseId)}/status`, { to }),
    close: (caseId: string, body: CloseCaseRequest) => send<CaseWorkflowState>('POST', `${cases(caseId)}/close`, body),
    reopen: (caseId: string) => send<CaseWorkflowState>('POST', `${cases(caseId)}/reopen`, {}),
    priority: (caseId: string, priority: CasePriority) => send<CaseWorkflowState>('POST', `${cases(caseId)}/priority`, { priority }),
    assign: (caseId: string, body: AssignCaseRequest) => send<CaseWorkflowState>('POST', `${cases(caseId)}/assignee`, body),
    escalate: (caseId: string, body: EscalateCaseRequest) => send<EscalateCaseResponse>('POST', `${cases(caseId)}/escalations`, body),
  },
  flags: {
    list: (caseId: string) => request<CaseFlagsResponse>(`${cases(caseId)}/flags`),
    set: (caseId: string, flag: CaseFlag) => send<CaseFlagsResponse>('POST', `${cases(caseId)}/flags`, { flag }),
    remove: (caseId: string, flag: CaseFlag, body: RemoveFlagRequest) => send<CaseFlagsResponse>('DELETE', `${cases(caseId)}/flags/${id(flag)}`, body),
  },
  tasks: {
    ofCase: (caseId: string) => request<CaseTasksResponse>(`${cases(caseId)}/tasks`),
    create: (caseId: string, body: CreateTaskRequest) => send<unknown>('POST', `${cases(caseId)}/tasks`, body),
    update: (caseId: string, taskId: string, body: UpdateTaskRequest) => send<unknown>('PATCH', `${cases(caseId)}/tasks/${id(taskId)}`, body),
    mine: () => request<MyTasksResponse>('/api/tasks/mine'),
  },
  records: {
    /** The newest version of each record of one compartment (the titles of tasks among them). */
    list: async (caseId: string, compartment: CaseCompartmentName): Promise<StoredRecord[]> => {
      const answer = await request<StoredRecord[] | { records: StoredRecord[] }>(`${cases(caseId)}/records${query({ compartment })}`);
      return Array.isArray(answer) ? answer : answer.records;
    },
    write: (caseId: string, body: WriteRecordRequest) => send<{ recordId: string; version: number }>('POST', `${cases(caseId)}/records`, body),
  },
  notifications: {
    list: (before?: string) => request<NotificationsResponse>(`/api/notifications${query({ before, limit: 50 })}`),
    unread: () => request<UnreadCountResponse>('/api/notifications/unread-count'),
    markRead: (body: MarkNotificationsReadRequest) => send<UnreadCountResponse>('POST', '/api/notifications/read', body),
  },
  access: {
    request: (caseId: string, compartment: CaseCompartmentName) => send<AccessRequestResponse>('POST', `${cases(caseId)}/access-requests`, { compartment }),
  },
  timeline: {
    page: (caseId: string, before?: number) => request<TimelineResponse>(`${cases(caseId)}/timeline${query({ before, limit: 200 })}`),
  },
  handover: {
    candidates: (fromId: string) => request<HandoverCandidatesResponse>(`/api/cases/handover/candidates${query({ fromId })}`),
    batch: (body: HandoverRequest) => send<HandoverResponse>('POST', '/api/cases/handover', body),
  },
} as const;
