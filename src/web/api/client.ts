/**
 * One function per endpoint, typed from the shapes in src/core/api: a page
 * calls `api.members.list()` and gets `MemberSummary[]`, and a wrong body does
 * not compile. Built on the fetch wrapper in ../api.ts (anti-forgery token,
 * errors as ApiError values).
 */
import type {
  AcceptInvitationRequest,
  AcceptInvitationResponse,
  AccountChallengeRequest,
  AccountChallengeResponse,
  AccountSummary,
  AddAuthenticatorRequest,
  AuthenticatorRegistrationOptions,
  AuthenticatorRegistrationOptionsRequest,
  CaseCompartmentName,
  CertifyRequest,
  ChangePassphraseRequest,
  ChangeRoleRequest,
  DirectoryEntry,
  EndSessionResponse,
  FreshFactor,
  InvitationCreated,
  InvitationLookupResponse,
  InvitationSummary,
  InviteRequest,
  KeyRotationsResponse,
  LoginRequest,
  LoginResponse,
  MembershipListResponse,
  MemberSummary,
  MyKeysResponse,
  PreloginRequest,
  PreloginResponse,
  PublishMembershipListRequest,
  RecoveryCodesResponse,
  RotateOrganizationKeyRequest,
  SecondFactorRequest,
  SecondFactorResponse,
  SessionInfo,
  SessionSummary,
  SetupRequest,
  SetupStatus,
  SignedTreeHead,
  StoredAuditEntry,
  TotpConfirmResponse,
  TotpEnrollmentResponse,
  WebauthnAssertionOptions,
} from '../../core/index.js';
import type {
  CaseDetail,
  CaseListQuery,
  CaseListResponse,
  GrantRequest,
  OpenCaseRequest,
  RotateRequest,
  SearchHit,
  SearchRequest,
  StoredRecord,
  WriteRecordRequest,
} from '../../core/api/index.js';
import { api as request } from '../api.js';

const post = <T>(path: string, body: unknown = {}) => request<T>(path, { method: 'POST', body });
const del = <T>(path: string) => request<T>(path, { method: 'DELETE' });
const id = (value: string) => encodeURIComponent(value);

export interface AuditHead {
  logPublicKey: string;
  head: SignedTreeHead;
}
export interface AuditPage {
  entries: (StoredAuditEntry & { proof?: string[] })[];
  nextBefore: number | null;
}

/** GET /api/cases: arrays as repeated parameters (status=new&status=triage), as the server's query parser reads them. */
export function caseListSearch(query: CaseListQuery): string {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) out.append(key, String(v));
    else out.append(key, String(value));
  }
  return out.toString();
}

export interface PendingRotation {
  caseId: string;
  code: string;
  compartment: CaseCompartmentName;
}

export const api = {
  setup: {
    status: () => request<SetupStatus>('/api/setup'),
    create: (body: SetupRequest) => post<unknown>('/api/setup', body),
  },
  session: {
    get: () => request<SessionInfo>('/api/session'),
  },
  auth: {
    prelogin: (body: PreloginRequest) => post<PreloginResponse>('/api/auth/prelogin', body),
    login: (body: LoginRequest) => post<LoginResponse>('/api/auth/login', body),
    logout: () => post<unknown>('/api/auth/logout'),
    logoutEverywhere: () => post<unknown>('/api/auth/logout-everywhere'),
    totpEnrollment: () => post<TotpEnrollmentResponse>('/api/auth/totp/enrollment'),
    confirmTotpEnrollment: (code: string) => post<TotpConfirmResponse>('/api/auth/totp/enrollment/confirm', { code }),
    secondFactor: (body: SecondFactorRequest) => post<SecondFactorResponse>('/api/auth/second-factor', body),
    webauthnOptions: () => post<WebauthnAssertionOptions>('/api/auth/webauthn/options'),
    webauthn: (assertion: unknown) => post<SecondFactorResponse>('/api/auth/webauthn', { assertion }),
  },
  me: {
    keys: () => request<MyKeysResponse>('/api/me/keys'),
    account: () => request<AccountSummary>('/api/me/account'),
    challenge: (body: AccountChallengeRequest) => post<AccountChallengeResponse>('/api/me/challenge', body),
    changePassphrase: (body: ChangePassphraseRequest) => post<unknown>('/api/me/passphrase', body),
    recoveryCodes: (fresh: FreshFactor) => post<RecoveryCodesResponse>('/api/me/recovery-codes', fresh),
    reenrollTotp: (fresh: FreshFactor) => post<TotpEnrollmentResponse>('/api/me/totp', fresh),
    confirmTotp: (code: string) => post<unknown>('/api/me/totp/confirm', { code }),
    sessions: () => request<SessionSummary[]>('/api/me/sessions'),
    endSession: (sessionId: string) => del<EndSessionResponse>(`/api/me/sessions/${id(sessionId)}`),
    authenticatorOptions: (fresh: AuthenticatorRegistrationOptionsRequest) => post<AuthenticatorRegistrationOptions>('/api/me/authenticators/options', fresh),
    addAuthenticator: (body: AddAuthenticatorRequest) => post<unknown>('/api/me/authenticators', body),
    renameAuthenticator: (authenticatorId: string, name: string) => post<unknown>(`/api/me/authenticators/${id(authenticatorId)}/name`, { name }),
    removeAuthenticator: (authenticatorId: string) => del<unknown>(`/api/me/authenticators/${id(authenticatorId)}`),
  },
  members: {
    list: () => request<MemberSummary[]>('/api/members'),
    directory: () => request<DirectoryEntry[]>('/api/members/directory'),
    certify: (memberId: string, body: CertifyRequest) => post<unknown>(`/api/members/${id(memberId)}/certificate`, body),
    changeRole: (memberId: string, body: ChangeRoleRequest) => post<unknown>(`/api/members/${id(memberId)}/role`, body),
    suspend: (memberId: string) => post<unknown>(`/api/members/${id(memberId)}/suspend`),
    reinstate: (memberId: string) => post<unknown>(`/api/members/${id(memberId)}/reinstate`),
    remove: (memberId: string) => post<unknown>(`/api/members/${id(memberId)}/remove`),
  },
  invitations: {
    list: () => request<InvitationSummary[]>('/api/invitations'),
    create: (body: InviteRequest) => post<InvitationCreated>('/api/invitations', body),
    revoke: (invitationId: string) => del<unknown>(`/api/invitations/${id(invitationId)}`),
    lookup: (token: string) => post<InvitationLookupResponse>('/api/invitations/lookup', { token }),
    accept: (body: AcceptInvitationRequest) => post<AcceptInvitationResponse>('/api/invitations/accept', body),
  },
  organization: {
    membershipList: () => request<MembershipListResponse>('/api/organization/membership-list'),
    publishMembershipList: (body: PublishMembershipListRequest) => post<unknown>('/api/organization/membership-list', body),
    keyRotations: () => request<KeyRotationsResponse>('/api/organization/key-rotations'),
    rotateKey: (body: RotateOrganizationKeyRequest) => post<unknown>('/api/organization/key-rotation', body),
  },
  cases: {
    list: (query: CaseListQuery) => request<CaseListResponse>(`/api/cases?${caseListSearch(query)}`),
    open: (body: OpenCaseRequest) => post<{ caseId: string; code: string }>('/api/cases', body),
    byCode: (code: string) => request<{ caseId: string; code: string }>(`/api/cases/by-code/${id(code)}`),
    get: (caseId: string) => request<CaseDetail>(`/api/cases/${id(caseId)}`),
    records: (caseId: string, compartment: CaseCompartmentName) => request<StoredRecord[]>(`/api/cases/${id(caseId)}/records?compartment=${id(compartment)}`),
    /** Every version of one record, newest first. */
    history: (caseId: string, recordId: string) => request<StoredRecord[]>(`/api/cases/${id(caseId)}/records/${id(recordId)}/history`),
    writeRecord: (caseId: string, body: WriteRecordRequest) => post<{ recordId: string; version: number }>(`/api/cases/${id(caseId)}/records`, body),
    grant: (caseId: string, body: GrantRequest) => post<{ compartment: CaseCompartmentName; memberId: string }>(`/api/cases/${id(caseId)}/grants`, body),
    revoke: (caseId: string, body: { memberId: string; compartments?: CaseCompartmentName[] }) =>
      post<{ pending: CaseCompartmentName[] }>(`/api/cases/${id(caseId)}/revocations`, body),
    rotate: (caseId: string, body: RotateRequest) => post<{ epoch: number }>(`/api/cases/${id(caseId)}/rotations`, body),
    requestAccess: (caseId: string, compartment: CaseCompartmentName) =>
      post<{ requested: boolean; notified: number }>(`/api/cases/${id(caseId)}/access-requests`, { compartment }),
    pendingRotations: () => request<PendingRotation[]>('/api/rotations/pending'),
    search: (body: SearchRequest) => post<{ hits: SearchHit[]; more: boolean }>('/api/search', body),
  },
  audit: {
    head: () => request<AuditHead>('/api/audit/head'),
    consistency: (from: number, to: number) => request<{ proof: string[] }>(`/api/audit/consistency?from=${from}&to=${to}`),
    /** `query`: the filters and page position, already encoded. */
    entries: (query: string) => request<AuditPage>(`/api/audit/entries?${query}`),
  },
} as const;
